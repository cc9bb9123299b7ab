/* runbookdocs site behaviour: page variables, the decision-tree walker, tree overviews.
 *
 * Progressive enhancement only: without JavaScript every block shows its {{ placeholders }} and
 * every tree its static version. The Markdown extension links this script from the pages that
 * need it, under MkDocs and Zensical alike. Under the theme's instant navigation the page is
 * swapped without a reload and the new page's scripts run again: everything is (re-)initialised
 * on each emission of `document$`, and a second run of this file only initialises the page.
 * The walker's texts come with each tree's data, in the page's language.
 */
(function () {
  "use strict";

  if (window.runbookdocs && typeof window.runbookdocs.init === "function") {
    window.runbookdocs.init();
    return;
  }

  /* Where the assets are (absolute: later pages may sit at another depth). */
  var SCRIPT = document.currentScript;
  var BASE = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/[^/]*$/, "") : "";

  var STORE = "runbookdocs:vars:";

  /* ------------------------------------------------------------------ variables */

  function storageKey() {
    return STORE + window.location.pathname;
  }

  function loadValues() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey()) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function saveValues(values) {
    try {
      window.localStorage.setItem(storageKey(), JSON.stringify(values));
    } catch (e) {
      /* storage disabled: values last until the page is left */
    }
  }

  function applyValues(values) {
    var spans = document.querySelectorAll(".rb-var[data-rb-var]");
    for (var i = 0; i < spans.length; i++) {
      var name = spans[i].getAttribute("data-rb-var");
      var value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : null;
      var filled = value !== null && value !== "";
      spans[i].textContent = filled ? value : "{{ " + name + " }}";
      spans[i].classList.toggle("rb-var--filled", filled);
      spans[i].classList.toggle("rb-var--empty", !filled);
    }
  }

  function currentValues(form) {
    var values = {};
    var inputs = form.querySelectorAll("input[data-rb-input]");
    for (var i = 0; i < inputs.length; i++) {
      values[inputs[i].getAttribute("data-rb-input")] = inputs[i].value;
    }
    return values;
  }

  /* Prose like "the database ({{ db_host }})" follows the form too, in inline code only. */
  function markInlinePlaceholders(form) {
    var known = {};
    var inputs = form.querySelectorAll("input[data-rb-input]");
    for (var i = 0; i < inputs.length; i++) {
      known[inputs[i].getAttribute("data-rb-input")] = true;
    }
    var codes = document.querySelectorAll(".md-content code");
    for (var j = 0; j < codes.length; j++) {
      if (codes[j].closest("pre") || codes[j].closest(".rb-vars")) continue;
      var m = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(codes[j].textContent);
      if (m && known[m[1]]) {
        codes[j].classList.add("rb-var");
        codes[j].setAttribute("data-rb-var", m[1]);
      }
    }
  }

  function initVariables() {
    var form = document.querySelector("form.rb-vars");
    if (!form || form.getAttribute("data-rb-ready")) {
      return;
    }
    form.setAttribute("data-rb-ready", "1");
    markInlinePlaceholders(form);
    var stored = loadValues();
    var inputs = form.querySelectorAll("input[data-rb-input]");
    for (var i = 0; i < inputs.length; i++) {
      var name = inputs[i].getAttribute("data-rb-input");
      if (Object.prototype.hasOwnProperty.call(stored, name)) {
        inputs[i].value = stored[name];
      }
    }
    applyValues(currentValues(form));
    form.addEventListener("input", function () {
      var values = currentValues(form);
      saveValues(values);
      applyValues(values);
    });
    var reset = form.querySelector(".rb-vars__reset");
    if (reset) {
      reset.addEventListener("click", function () {
        for (var j = 0; j < inputs.length; j++) {
          inputs[j].value = inputs[j].getAttribute("data-default") || "";
        }
        try {
          window.localStorage.removeItem(storageKey());
        } catch (e) {
          /* ignore */
        }
        applyValues(currentValues(form));
      });
    }
  }

  /* ------------------------------------------------------------------ decision trees */

  var walkers = [];

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (key === "html") {
          node.innerHTML = attrs[key];
        } else if (key === "text") {
          node.textContent = attrs[key];
        } else if (attrs[key] !== null && attrs[key] !== undefined) {
          node.setAttribute(key, attrs[key]);
        }
      }
    }
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(child);
      }
    });
    return node;
  }

  function pythonRegex(pattern) {
    var flags = "";
    var m = /^\(\?([aiLmsux]+)\)/.exec(pattern);
    if (m) {
      pattern = pattern.slice(m[0].length);
      if (m[1].indexOf("i") >= 0) flags += "i";
      if (m[1].indexOf("m") >= 0) flags += "m";
      if (m[1].indexOf("s") >= 0) flags += "s";
    }
    try {
      return new RegExp(pattern, flags);
    } catch (e) {
      return null;
    }
  }

  function Walker(root) {
    this.root = root;
    this.data = JSON.parse(root.getAttribute("data-rb-data"));
    this.t = this.data.texts || {};
    this.mount = root.querySelector(".rb-tree__walker");
    this.anchors = {};
    var self = this;
    Object.keys(this.data.nodes).forEach(function (id) {
      self.anchors[self.data.nodes[id].anchor] = id;
    });
    /* The static version stays in the page (search, printing) but its anchors now belong to
     * the walker: a deep link opens the step instead of scrolling to the text version. */
    var stat = root.querySelector(".rb-tree__static");
    if (stat) {
      stat.open = false;
      var ided = stat.querySelectorAll("[id]");
      for (var i = 0; i < ided.length; i++) {
        ided[i].setAttribute("data-rb-anchor", ided[i].id);
        ided[i].removeAttribute("id");
      }
    }
    this.mount.hidden = false;
    root.classList.add("rb-tree--live");
    this.path = [{ node: this.data.start, via: null }];
    this.render(false);
  }

  Walker.prototype.node = function (id) {
    return this.data.nodes[id];
  };

  Walker.prototype.visits = function (id) {
    return this.path.filter(function (step) {
      return step.node === id;
    }).length;
  };

  Walker.prototype.go = function (next, via) {
    var target = this.node(next);
    if (!target) {
      return;
    }
    var limit = target.max_visits;
    if (limit && this.visits(next) >= limit) {
      this.path.push({ node: next, via: via, limit: true });
    } else {
      this.path.push({ node: next, via: via });
    }
    this.render(true);
  };

  Walker.prototype.back = function () {
    if (this.path.length > 1) {
      this.path.pop();
      this.render(true);
    }
  };

  Walker.prototype.restart = function () {
    this.path = [{ node: this.data.start, via: null }];
    this.render(true);
  };

  /* The shortest way from the start to `target`, so that a deep link still has a "back". */
  Walker.prototype.pathTo = function (target) {
    var start = this.data.start;
    var prev = {};
    prev[start] = null;
    var queue = [start];
    while (queue.length) {
      var id = queue.shift();
      if (id === target) break;
      var node = this.node(id);
      var edges = (node.answers || []).map(function (a) {
        return [a.next, a.label];
      });
      if (node.next) edges.push([node.next, null]);
      for (var i = 0; i < edges.length; i++) {
        if (this.node(edges[i][0]) && !(edges[i][0] in prev)) {
          prev[edges[i][0]] = { from: id, via: edges[i][1] };
          queue.push(edges[i][0]);
        }
      }
    }
    if (!(target in prev)) {
      return [{ node: target, via: null }];
    }
    var path = [];
    var cur = target;
    while (cur !== null && cur !== undefined) {
      var p = prev[cur];
      path.unshift({ node: cur, via: p ? p.via : null });
      cur = p ? p.from : null;
    }
    return path;
  };

  Walker.prototype.open = function (anchor, scroll) {
    var id = this.anchors[anchor];
    if (!id) {
      return false;
    }
    this.path = this.pathTo(id);
    this.render(true, true);
    if (scroll) {
      this.root.scrollIntoView({ block: "start" });
    }
    return true;
  };

  Walker.prototype.checkBlock = function (check) {
    var box = el("div", { class: "rb-walk__check" }, [
      el("p", { class: "rb-walk__check-title", text: this.t.run }),
    ]);
    var original = check.local ? document.getElementById(check.local) : null;
    if (original) {
      var copy = original.cloneNode(true);
      copy.removeAttribute("id");
      var inner = copy.querySelectorAll("[id]");
      for (var i = 0; i < inner.length; i++) {
        inner[i].removeAttribute("id");
      }
      copy.classList.add("rb-block--embedded");
      box.appendChild(copy);
    } else {
      box.appendChild(
        el("p", null, [
          el("a", { href: check.href, text: check.label }),
          document.createTextNode(" "),
          el("span", {
            class: "rb-badge rb-badge--" + check.state,
            "data-rb-state": check.state,
            title: check.detail || "",
            text: check.status,
          }),
        ])
      );
    }
    return box;
  };

  Walker.prototype.render = function (userAction, fromLink) {
    var self = this;
    var step = this.path[this.path.length - 1];
    var node = this.node(step.node);
    var number = this.path.length;

    var t = this.t;
    var trail = el("ol", { class: "rb-walk__trail", "aria-label": t.trail });
    this.path.slice(0, -1).forEach(function (s, index) {
      var n = self.node(s.node);
      var next = self.path[index + 1];
      var item = el("li", null, [el("span", { class: "rb-walk__trail-text", html: n.html })]);
      if (next && next.via) {
        item.appendChild(el("span", { class: "rb-walk__trail-answer", text: " \u2192 " + next.via }));
      }
      trail.appendChild(item);
    });

    var section = el("section", {
      class: "rb-walk__step rb-walk__step--" + node.kind,
      tabindex: "-1",
      "aria-labelledby": this.data.id + "-walk-text",
      "data-rb-step": step.node,
    });
    section.appendChild(
      el("p", {
        class: "rb-walk__kind",
        text: fill(t.step, { n: number, kind: t[node.kind] || node.kind }),
      })
    );
    section.appendChild(
      el("div", { class: "rb-walk__text", id: this.data.id + "-walk-text", html: node.html })
    );
    if (node.help) {
      section.appendChild(el("div", { class: "rb-walk__help", html: node.help }));
    }
    if (node.check) {
      section.appendChild(this.checkBlock(node.check));
    }

    if (step.limit) {
      section.classList.add("rb-walk__step--limit");
      section.appendChild(
        el("div", { class: "admonition warning" }, [
          el("p", { class: "admonition-title", text: t.loop }),
          el("p", { text: fill(t["loop-text"], { n: node.max_visits }) }),
        ])
      );
    } else if (node.kind === "question") {
      var group = el("div", { class: "rb-walk__answers", role: "group", "aria-label": t.answers });
      (node.answers || []).forEach(function (answer, i) {
        var button = el("button", {
          type: "button",
          class: "md-button rb-walk__answer",
          "data-rb-next": answer.next,
          "aria-keyshortcuts": i < 9 ? String(i + 1) : null,
        });
        button.appendChild(el("span", { class: "rb-walk__key", "aria-hidden": "true", text: String(i + 1) }));
        button.appendChild(document.createTextNode(answer.label));
        button.addEventListener("click", function () {
          self.go(answer.next, answer.label);
        });
        group.appendChild(button);
      });
      section.appendChild(group);
      var matchers = (node.answers || []).filter(function (a) {
        return a.match;
      });
      if (matchers.length) {
        var note = el("p", { class: "rb-walk__match", "aria-live": "polite" });
        var area = el("textarea", {
          class: "rb-walk__paste-input",
          rows: "3",
          placeholder: t["paste-placeholder"],
        });
        area.addEventListener("input", function () {
          var text = area.value;
          if (!text.trim()) {
            note.textContent = "";
            return;
          }
          for (var i = 0; i < matchers.length; i++) {
            var re = pythonRegex(matchers[i].match);
            if (re && re.test(text)) {
              self.go(matchers[i].next, fill(t.pasted, { label: matchers[i].label }));
              return;
            }
          }
          note.textContent = t["no-match"];
        });
        section.appendChild(
          el("div", { class: "rb-walk__paste" }, [
            el("label", null, [
              el("span", { text: t.paste }),
              area,
            ]),
            note,
          ])
        );
      }
    } else if (node.kind === "action") {
      var done = el("button", { type: "button", class: "md-button md-button--primary rb-walk__done" });
      done.textContent = t.done;
      done.addEventListener("click", function () {
        self.go(node.next, t["done-trail"]);
      });
      section.appendChild(done);
    } else {
      section.classList.add(node.kind === "escalate" ? "rb-walk__step--escalate" : "rb-walk__step--solution");
    }

    var back = el("button", { type: "button", class: "md-button rb-walk__back", text: t.back });
    back.disabled = this.path.length < 2;
    back.addEventListener("click", function () {
      self.back();
    });
    var restart = el("button", { type: "button", class: "md-button rb-walk__restart", text: t.restart });
    restart.disabled = this.path.length < 2;
    restart.addEventListener("click", function () {
      self.restart();
    });
    var link = el("a", {
      class: "rb-walk__link",
      href: "#" + node.anchor,
      text: t.link,
      title: t["link-title"],
    });
    var nav = el("div", { class: "rb-walk__nav" }, [back, restart, link]);

    var walk = el("div", { class: "rb-walk" }, [trail, section, nav]);
    walk.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (tag === "TEXTAREA" || tag === "INPUT" || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      if (/^[1-9]$/.test(event.key) && node.kind === "question" && !step.limit) {
        var answer = (node.answers || [])[Number(event.key) - 1];
        if (answer) {
          event.preventDefault();
          self.go(answer.next, answer.label);
        }
      } else if (event.key === "Backspace" && self.path.length > 1) {
        event.preventDefault();
        self.back();
      }
    });
    this.mount.replaceChildren(walk);
    if (userAction) {
      if (window.history && window.history.replaceState) {
        window.history.replaceState(window.history.state, "", "#" + node.anchor);
      }
      section.focus({ preventScroll: !!fromLink });
    }
  };

  function openHash(scroll) {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!hash) return;
    for (var i = 0; i < walkers.length; i++) {
      if (walkers[i].open(hash, scroll)) return;
    }
  }

  function initTrees() {
    walkers = walkers.filter(function (w) {
      return document.body.contains(w.root);
    });
    var roots = document.querySelectorAll(".rb-tree[data-rb-tree]");
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].getAttribute("data-rb-ready")) continue;
      roots[i].setAttribute("data-rb-ready", "1");
      try {
        walkers.push(new Walker(roots[i]));
      } catch (e) {
        if (window.console) window.console.error("runbookdocs: decision tree", e);
      }
    }
    openHash(true);
  }

  /* Links to a step (the walker's own link, the static version's, another page's) open it. */
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href*='#']") : null;
      if (!link) return;
      var url = new URL(link.href, window.location.href);
      if (url.pathname !== window.location.pathname) return;
      var hash = decodeURIComponent(url.hash.replace(/^#/, ""));
      for (var i = 0; i < walkers.length; i++) {
        if (walkers[i].anchors[hash]) {
          event.preventDefault();
          event.stopPropagation();
          walkers[i].open(hash, !walkers[i].root.contains(link));
          return;
        }
      }
    },
    true
  );
  window.addEventListener("hashchange", function () {
    openHash(true);
  });

  /* ------------------------------------------------------------------ tree overviews */

  /* Drawn with the vendored Mermaid, loaded on the first page that has an overview: never the
   * theme's own Mermaid integration, which fetches Mermaid from a CDN when it is not loaded. */
  var mermaidLoading = null;
  var diagrams = 0;

  function loadMermaid() {
    if (window.mermaid && typeof window.mermaid.render === "function") {
      return Promise.resolve(window.mermaid);
    }
    if (!mermaidLoading) {
      mermaidLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = BASE + "vendor/mermaid/mermaid.min.js";
        tag.onload = function () {
          window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
          resolve(window.mermaid);
        };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return mermaidLoading;
  }

  function initDiagrams() {
    var sources = document.querySelectorAll("pre.rb-mermaid:not([data-rb-ready])");
    if (!sources.length) return;
    for (var i = 0; i < sources.length; i++) sources[i].setAttribute("data-rb-ready", "1");
    loadMermaid().then(
      function (mermaid) {
        Array.prototype.forEach.call(sources, function (pre) {
          diagrams += 1;
          mermaid.render("rb-mermaid-" + diagrams, pre.textContent).then(
            function (out) {
              var div = document.createElement("div");
              div.className = "rb-mermaid";
              div.innerHTML = out.svg;
              if (pre.parentNode) pre.parentNode.replaceChild(div, pre);
            },
            function (e) {
              if (window.console) window.console.error("runbookdocs: overview", e);
            }
          );
        });
      },
      function () {
        if (window.console) window.console.error("runbookdocs: could not load " + BASE + "vendor/mermaid/mermaid.min.js");
      }
    );
  }

  function init() {
    initVariables();
    initTrees();
    initDiagrams();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.runbookdocs = {
    init: init,
    applyValues: applyValues,
    walkers: function () {
      return walkers;
    },
  };
})();

/* ==================================================================== health and wording (#17)
 * Kept apart from the code above (its own closure) so that the parts of #17 merge cleanly.
 * A verified block that uses a page variable says "verified with the default values" once the
 * reader's value differs from the default: the run never tried the reader's value. Runs after
 * the variables form is initialised (same `document$`/DOMContentLoaded order, listeners on the
 * document so the form's own handlers have run first).
 */
(function () {
  "use strict";

  if (window.runbookdocsHealth) {
    window.runbookdocsHealth.refresh();
    return;
  }

  function changedNames() {
    var changed = {};
    var inputs = document.querySelectorAll("form.rb-vars input[data-rb-input]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value !== (inputs[i].getAttribute("data-default") || "")) {
        changed[inputs[i].getAttribute("data-rb-input")] = true;
      }
    }
    return changed;
  }

  function labelNode(badge) {
    for (var i = 0; i < badge.childNodes.length; i++) {
      if (badge.childNodes[i].nodeType === 3 && badge.childNodes[i].nodeValue.trim()) {
        return badge.childNodes[i];
      }
    }
    return null;
  }

  function refresh() {
    var changed = changedNames();
    var badges = document.querySelectorAll(".rb-block .rb-badge[data-rb-defaults]");
    for (var i = 0; i < badges.length; i++) {
      var badge = badges[i];
      var block = badge.closest(".rb-block");
      var vars = block ? block.querySelectorAll(".rb-var[data-rb-var]") : [];
      var uses = false;
      for (var j = 0; j < vars.length; j++) {
        if (changed[vars[j].getAttribute("data-rb-var")]) uses = true;
      }
      var node = labelNode(badge);
      if (!node) continue;
      if (!badge.hasAttribute("data-rb-label")) {
        badge.setAttribute("data-rb-label", node.nodeValue);
        badge.setAttribute("data-rb-title", badge.getAttribute("title") || "");
      }
      node.nodeValue = uses ? badge.getAttribute("data-rb-defaults") : badge.getAttribute("data-rb-label");
      badge.setAttribute(
        "title",
        uses ? badge.getAttribute("data-rb-defaults-title") : badge.getAttribute("data-rb-title")
      );
      badge.classList.toggle("rb-badge--defaults", uses);
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.closest && event.target.closest("form.rb-vars")) refresh();
  });
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest(".rb-vars__reset")) refresh();
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(refresh);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  window.runbookdocsHealth = { refresh: refresh };
})();
