// Copy-link on measure anchors: the anchor works as a plain link without JavaScript.
(function () {
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-copy-link]");
    if (!link || !navigator.clipboard) return;
    var url = location.href.split("#")[0] + link.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      link.classList.add("copied");
      var text = link.textContent;
      link.textContent = "已复制链接";
      setTimeout(function () { link.textContent = text; link.classList.remove("copied"); }, 1500);
    }, function () {});
  });
})();
