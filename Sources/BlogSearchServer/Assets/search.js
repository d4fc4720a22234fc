/*
 * blogsearch search box: results while the reader types, under a search form.
 *
 * Add to a page, either on a form that already submits to a results page:
 *   <form data-blogsearch-search action="/search" method="get"><input type="search" name="q"></form>
 * or on an empty element, which gets such a form:
 *   <div data-blogsearch-search data-action="/search"></div>
 * and once:
 *   <script src="https://search.example.com/search.js" async></script>
 *
 * Options, as attributes of the form or div:
 *   data-limit        results shown (default 6, at most 20)
 *   data-action       (div only) where the form submits without JavaScript (default "/")
 *   data-placeholder  (div only) the field's placeholder (default "Search")
 *   data-href         link pattern, e.g. "/posts/{slug}" (default: each post's own URL)
 *   data-endpoint     the service's address (default: where this script came from)
 *
 * The field is a WAI-ARIA combobox (1.2) with a listbox of results: arrow keys move through them, Enter
 * opens the one chosen (or submits the form when none is), Escape closes the list. Only the number of
 * results is announced (an aria-live region), not the list. Titles are set as text; snippets keep only the
 * API's <mark> elements, everything else as text. Before opening a result the element fires a cancelable
 * "blogsearch:select" event ({detail: {href, slug}}), for sites that route themselves. When the service is
 * down or slow, no list is shown and the form submits as it would without this script.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var counter = 0;

  function safeHref(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The API's snippet is escaped HTML with <mark> around matches: rebuilt from its text and marks only.
  function snippet(html) {
    var out = element("span", "blogsearch-snippet");
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") out.appendChild(element("mark", null, node.textContent));
      else out.appendChild(document.createTextNode(node.textContent));
    });
    return out;
  }

  function setUp(host) {
    var id = "blogsearch-search-" + (++counter);
    var form = host.tagName === "FORM" ? host : null;
    if (!form) {
      form = element("form", "blogsearch-search-form");
      form.setAttribute("role", "search");
      form.action = host.getAttribute("data-action") || "/";
      form.method = "get";
      var label = element("label", "blogsearch-visually-hidden", "Search");
      label.htmlFor = id + "-input";
      var field = element("input");
      field.type = "search";
      field.name = "q";
      field.id = id + "-input";
      field.placeholder = host.getAttribute("data-placeholder") || "Search";
      form.appendChild(label);
      form.appendChild(field);
      host.appendChild(form);
    }
    var input = form.querySelector("input[name=q]") || form.querySelector("input[type=search]") || form.querySelector("input");
    if (!input) return;
    var limit = parseInt(host.getAttribute("data-limit") || "6", 10);
    if (!(limit >= 1 && limit <= 20)) limit = 6;
    var endpoint = (host.getAttribute("data-endpoint") || origin).replace(/\/+$/, "");
    var pattern = host.getAttribute("data-href");

    var list = element("ul", "blogsearch-results");
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    list.hidden = true;
    var status = element("div", "blogsearch-visually-hidden");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.style.position = form.style.position || "relative";
    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var inFlight = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
      if (options[index].scrollIntoView) options[index].scrollIntoView({ block: "nearest" });
    }

    function open(option) {
      var href = option.getAttribute("data-href");
      if (!href) return;
      var event = new CustomEvent("blogsearch:select", { cancelable: true, bubbles: true,
        detail: { href: href, slug: option.getAttribute("data-slug") } });
      if (host.dispatchEvent(event)) location.href = href;
    }

    function render(data) {
      list.replaceChildren();
      options = [];
      active = -1;
      var hits = (data && data.hits) || [];
      hits.forEach(function (hit, i) {
        var option = element("li", "blogsearch-result");
        option.id = id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-slug", hit.slug);
        var href = safeHref(pattern ? pattern.split("{slug}").join(encodeURIComponent(hit.slug)) : hit.url);
        if (href) option.setAttribute("data-href", href);
        option.appendChild(element("span", "blogsearch-result-title", hit.title));
        if (hit.snippet) option.appendChild(snippet(hit.snippet));
        option.addEventListener("mousedown", function (e) { e.preventDefault(); });
        option.addEventListener("click", function () { open(option); });
        list.appendChild(option);
        options.push(option);
      });
      var shown = hits.length;
      var total = (data && data.total) || 0;
      status.textContent = shown === 0 ? "No results" : total + (total === 1 ? " result" : " results")
        + (data.correctedQuery ? " for " + data.correctedQuery : "");
      if (data && data.correctedQuery && shown > 0) {
        list.insertBefore(element("li", "blogsearch-note", "Showing results for " + data.correctedQuery), list.firstChild)
          .setAttribute("role", "presentation");
      }
      list.hidden = shown === 0;
      input.setAttribute("aria-expanded", shown === 0 ? "false" : "true");
      input.removeAttribute("aria-activedescendant");
      host.setAttribute("data-blogsearch-state", "ready");
    }

    function search() {
      var query = input.value;
      if (!query.trim()) {
        list.replaceChildren();
        status.textContent = "";
        close();
        return;
      }
      if (inFlight) inFlight.abort();
      var controller = window.AbortController ? new AbortController() : null;
      inFlight = controller;
      var mine = ++asked;
      var timeout = controller ? setTimeout(function () { controller.abort(); }, 4000) : null;
      fetch(endpoint + "/search?prefix=last&limit=" + limit + "&q=" + encodeURIComponent(query),
            { signal: controller ? controller.signal : undefined, credentials: "omit" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) { if (mine === asked) render(data); })
        .catch(function () {
          if (mine !== asked) return;
          close();
          host.setAttribute("data-blogsearch-state", "unavailable");
        })
        .finally(function () { if (timeout) clearTimeout(timeout); });
    }

    input.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "Down") {
        if (options.length === 0) return;
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        choose(active + 1 < options.length ? active + 1 : 0);
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        if (options.length === 0) return;
        e.preventDefault();
        choose(active > 0 ? active - 1 : options.length - 1);
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          open(options[active]);
        }
      } else if (e.key === "Escape" || e.key === "Esc") {
        if (!list.hidden) {
          e.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("focus", function () {
      if (options.length > 0 && input.value.trim()) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    });
    host.setAttribute("data-blogsearch-state", "idle");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-blogsearch-search]"), function (host) {
      if (!host.hasAttribute("data-blogsearch-state")) setUp(host);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
