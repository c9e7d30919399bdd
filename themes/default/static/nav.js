// The phone header's menu and the plan's table of contents below 1000 px. Without JavaScript,
// each toggle is a link to the part it opens (`#site-nav`, `#plan-toc`), which the stylesheet
// shows while it is the URL's target. With it, the link becomes a real button that says whether
// the part is open (aria-expanded), and opens and closes it without moving the page.
(function () {
  var links = document.querySelectorAll("a[data-toggle]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    var id = link.getAttribute("data-toggle");
    var part = document.getElementById(id);
    if (!part) continue;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent;
    button.setAttribute("aria-controls", id);
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", toggle(button, part));
    link.parentNode.replaceChild(button, link);
  }
  function toggle(button, part) {
    return function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      part.classList.toggle("open", open);
    };
  }
  // Escape closes an open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelectorAll("button[aria-expanded=true][aria-controls]");
    for (var k = 0; k < open.length; k++) {
      open[k].click();
      open[k].focus();
    }
  });

  // A table wider than the screen scrolls sideways; a line above it says so, since a phone
  // shows no scroll bar until the reader touches the table.
  var tables = document.querySelectorAll(".table-scroll");
  var cues = [];
  for (var t = 0; t < tables.length; t++) {
    var cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.textContent = "表格较宽，可左右滑动查看 →";
    tables[t].parentNode.insertBefore(cue, tables[t]);
    cues.push([cue, tables[t]]);
  }
  function markWide() {
    for (var c = 0; c < cues.length; c++) {
      cues[c][0].classList.toggle("shown", cues[c][1].scrollWidth > cues[c][1].clientWidth + 1);
    }
  }
  markWide();
  window.addEventListener("resize", markWide);

  // Related measures are folded in the page as sent (phones keep them so); a wide screen has
  // room to show them open.
  if (window.matchMedia && window.matchMedia("(min-width: 1000px)").matches) {
    var related = document.querySelectorAll("details.related");
    for (var r = 0; r < related.length; r++) related[r].open = true;
  }
})();
