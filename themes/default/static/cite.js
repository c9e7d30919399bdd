// "引用" buttons and the printout's running head. A button carries the citation (data-cite) and
// the site-relative URL of what it cites (data-url); the permalink is that URL on the site's
// base_url (data-base of this script) or, when the site has none, on the address the page is
// read at, so that a citation never names a host the site is not on.
(function () {
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-base")) || (script ? new URL("../", script.src).href : location.href);
  function permalink(url) { return new URL(url, root).href; }

  function show(button, text) {
    var note = button.nextElementSibling;
    if (note && note.classList.contains("cite-text")) {
      note.textContent = text;
      return;
    }
    note = document.createElement("span");
    note.className = "cite-text";
    note.setAttribute("role", "status");
    button.after(note);
    // A live region is announced when its text changes after it is in the page.
    setTimeout(function () { note.textContent = text; }, 50);
  }

  function cite(button) {
    var text = button.getAttribute("data-cite") + " " + permalink(button.getAttribute("data-url"));
    var done = function () { show(button, "已复制：" + text); };
    // Without clipboard access (an old browser, a denied permission) the text is shown to be
    // selected by hand.
    var failed = function () { show(button, text); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.cite-button");
    if (button) cite(button);
  });
  var buttons = document.querySelectorAll("button.cite-button");
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;

  // The printout: the site's name and the plan's title at the top of every page, the page's
  // permalink at the foot (CSS page-margin boxes; their text can only come from a style sheet).
  var head = document.querySelector(".print-head");
  if (!head) return;
  var link = head.querySelector(".print-permalink");
  var here = link.textContent || location.href.split("#")[0];
  link.textContent = here;
  var quote = function (s) { return '"' + s.replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ") + '"'; };
  var style = document.createElement("style");
  style.textContent = "@page { @top-left { content: " + quote(head.getAttribute("data-site")) + "; }"
    + " @top-right { content: " + quote(head.getAttribute("data-plan") || "") + "; }"
    + " @bottom-left { content: " + quote(here) + "; }"
    + " @bottom-right { content: counter(page) \" / \" counter(pages); } }";
  document.head.appendChild(style);
  // The running head says it all; the first page's own head is for printing without scripts.
  head.classList.add("running");
  // Folded notes are printed open.
  window.addEventListener("beforeprint", function () {
    var folded = document.querySelectorAll(".about-text details");
    for (var i = 0; i < folded.length; i++) folded[i].open = true;
  });
})();
