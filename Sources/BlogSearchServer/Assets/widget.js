/*
 * blogsearch related-posts widget.
 *
 * Add to a page:
 *   <div data-blogsearch-related="my-post-slug"></div>
 *   <script src="https://search.example.com/widget.js" async></script>
 *
 * Options, as attributes of the div:
 *   data-blogsearch-related   the post's slug; empty: the post whose URL is this page's path
 *   data-limit                how many posts (default 5)
 *   data-title                the heading (default "Related posts"; empty: no heading)
 *   data-because              "false" hides the "because: …" line
 *   data-href                 link pattern, e.g. "/posts/{slug}" (default: each post's own URL)
 *
 * Every value is set as text, never as HTML; only http(s) and relative URLs become links. When the
 * service is down or slow, nothing is shown.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  function endpoint(el) {
    var slug = el.getAttribute("data-blogsearch-related");
    var limit = parseInt(el.getAttribute("data-limit") || "5", 10);
    if (!(limit >= 1 && limit <= 100)) limit = 5;
    if (slug) return base + "/posts/" + encodeURIComponent(slug) + "/related?limit=" + limit;
    return base + "/related?limit=" + limit + "&url=" + encodeURIComponent(location.pathname);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  // A post's URL comes from its front matter: link it only when it is http(s) or relative (read as the
  // browser reads it), never javascript: or data:.
  function safeHref(url) {
    try {
      var parsed = new URL(url, location.href);
      // The address as given (relative stays relative), once its resolved scheme is known to be http(s).
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  function render(el, data) {
    if (!data || !data.related || data.related.length === 0) return;
    var nav = document.createElement("nav");
    nav.className = "blogsearch-related";
    var title = el.hasAttribute("data-title") ? el.getAttribute("data-title") : "Related posts";
    nav.setAttribute("aria-label", title || "Related posts");
    if (title) nav.appendChild(text("h2", title, "blogsearch-related-title"));
    var list = document.createElement("ul");
    var pattern = el.getAttribute("data-href");
    var because = el.getAttribute("data-because") !== "false";
    data.related.forEach(function (item) {
      var li = document.createElement("li");
      var href = safeHref(pattern ? pattern.split("{slug}").join(encodeURIComponent(item.slug)) : item.url);
      var a = text(href ? "a" : "span", item.title);
      if (href) a.href = href;
      li.appendChild(a);
      var reasons = (item.sharedTerms || []).slice(0, 3).concat(item.sharedTags || []);
      if (because && reasons.length > 0) {
        li.appendChild(text("span", "because: " + reasons.join(", "), "blogsearch-because"));
      }
      list.appendChild(li);
    });
    nav.appendChild(list);
    el.replaceChildren(nav);
    el.setAttribute("data-blogsearch-state", "ready");
  }

  function load(el) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 4000) : null;
    fetch(endpoint(el), { signal: controller ? controller.signal : undefined, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { render(el, data); })
      .catch(function () { el.setAttribute("data-blogsearch-state", "unavailable"); })
      .finally(function () { if (timer) clearTimeout(timer); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-blogsearch-related]"), load);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
