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

  /* What needs this script is hidden until it runs (`rb-needs-js` in the styles). */
  document.documentElement.classList.add("rb-js");

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
      inputs[i].readOnly = false; /* read-only in the HTML: without this script, defaults hold */
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
    this.page = window.location.pathname;
    this.memory = remember(this);
    this.render(false);
    if (this.memory.focus) {
      /* Drawn again by the theme after back/forward while the reader was in the walker. */
      this.memory.focus = false;
      this.mount.querySelector(".rb-walk__step").focus({ preventScroll: true });
    }
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
    this.memory.future = [];
    this.render(true);
    recordStep(this, "push");
  };

  Walker.prototype.back = function () {
    if (this.path.length < 2) {
      return;
    }
    this.memory.future.push(this.path.slice());
    this.path.pop();
    this.render(true);
    if (this.memory.pushed > 0) {
      /* The previous entry is the previous step: going back to it keeps the browser's history
       * in step (its popstate finds the walker already there). */
      this.memory.pushed -= 1;
      /* The popstate this causes finds the walker already there (and a second quick Back's
       * popstate must not be read as a forward move in between). */
      this.memory.awaiting.push(this.node(this.path[this.path.length - 1].node).anchor);
      window.history.back();
    } else {
      recordStep(this, "replace");
    }
  };

  Walker.prototype.restart = function () {
    this.path = [{ node: this.data.start, via: null }];
    this.memory.future = [];
    this.render(true);
    recordStep(this, "push");
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

  /* Open the step `anchor` names; `how` records it in the address ("push", "replace"). */
  Walker.prototype.open = function (anchor, scroll, how) {
    var id = this.anchors[anchor];
    if (!id) {
      return false;
    }
    this.path = this.pathTo(id);
    this.memory.future = [];
    this.render(true, true);
    if (scroll) {
      this.root.scrollIntoView({ block: "start" });
    }
    recordStep(this, how || "replace");
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
      if (check.command) {
        box.appendChild(el("pre", { class: "rb-walk__command" }, [el("code", { text: check.command })]));
      }
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
      if (node.kind === "escalate" && this.data.contact) {
        section.appendChild(
          el("p", { class: "rb-walk__contact", html: fill(t.contact, { contact: this.data.contact }) })
        );
      }
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
      href: String(stepUrl(node.anchor)),
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
    if (this.memory) this.memory.path = this.path.slice();
    if (userAction) {
      section.focus({ preventScroll: !!fromLink });
    }
  };

  /* The step the address names (`?step=`, else a step's anchor as the hash) opens. */
  function openFromAddress(scroll) {
    var want = addressStep();
    if (!want) return;
    for (var i = 0; i < walkers.length; i++) {
      if (walkers[i].anchors[want]) {
        var current = walkers[i].node(walkers[i].path[walkers[i].path.length - 1].node);
        if (current.anchor !== want) {
          walkers[i].open(want, scroll, "replace");
        }
        return;
      }
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
    openFromAddress(true);
  }

  /* Links to a step (the walker's own link, the static version's, another page's) open it. */
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var url = new URL(link.href, window.location.href);
      if (url.pathname !== window.location.pathname) return;
      var want = stepOf(url);
      for (var i = 0; i < walkers.length; i++) {
        if (want && walkers[i].anchors[want]) {
          event.preventDefault();
          event.stopPropagation();
          walkers[i].open(want, !walkers[i].root.contains(link), "push");
          return;
        }
      }
    },
    true
  );
  window.addEventListener("hashchange", function () {
    /* A step's hash typed or linked without the query; with it, popstate has the say. */
    if (!new URL(window.location.href).searchParams.get(STEP_PARAM)) openFromAddress(true);
  });

  /* ------------------------------------------------- decision trees: steps in the address
   * The step a reader is at is in the query (`?step=TREE--NODE`); the hash repeats it so that
   * the same address opens the step of the static version where JavaScript does not run.
   * Material's navigation.tracking rewrites the hash as the page scrolls (never the query), and
   * its instant navigation keeps the query of the address it loads: the query survives both.
   * Each step taken is a history entry, so the browser's back and forward move between steps;
   * the entries' state belongs to Material (it keeps scroll offsets there), so a step is always
   * read from the address. */
  var STEP_PARAM = "step";

  function stepUrl(anchor) {
    var url = new URL(window.location.href);
    url.searchParams.set(STEP_PARAM, anchor);
    url.hash = "#" + anchor;
    return url;
  }

  function stepOf(url) {
    var step = url.searchParams.get(STEP_PARAM);
    if (step) return step;
    var hash = decodeURIComponent(url.hash.replace(/^#/, ""));
    return hash || null;
  }

  function addressStep() {
    return stepOf(new URL(window.location.href));
  }

  /* What a walker knows of the history it made, kept by page and tree: the theme's instant
   * navigation may draw the page again on back/forward (a new walker), and a walker coming
   * back to the step the address names takes up its path, its forward paths and the number
   * of entries it pushed (`pushed`: its own Back button then goes back in the browser's
   * history, so that both stay in step). Anywhere else it starts afresh. */
  var memories = {};

  function remember(walker) {
    var key = window.location.pathname + "#" + walker.data.id;
    var memory = memories[key];
    var want = addressStep();
    var last = memory && memory.path ? memory.path[memory.path.length - 1] : null;
    if (last && (want ? walker.anchors[want] : walker.data.start) === last.node) {
      walker.path = memory.path.slice();
      return memory;
    }
    memory = memories[key] = { pushed: 0, future: [], path: null, awaiting: [], focus: false };
    return memory;
  }

  function recordStep(walker, how) {
    if (!window.history || !window.history.pushState) return;
    var node = walker.node(walker.path[walker.path.length - 1].node);
    var url = String(stepUrl(node.anchor));
    if (how === "push") {
      if (url === window.location.href) return;
      window.history.pushState({ x: window.scrollX, y: window.scrollY }, "", url);
      walker.memory.pushed += 1;
    } else {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  /* Back or forward to the entry of another step: the walker follows without a new entry. */
  Walker.prototype.travel = function (anchor) {
    var id = anchor ? this.anchors[anchor] : this.data.start;
    var path = this.path;
    if (!id || path[path.length - 1].node === id) return;
    var at = -1;
    for (var i = path.length - 2; i >= 0; i--) {
      if (path[i].node === id) {
        at = i;
        break;
      }
    }
    var future = this.memory.future.length ? this.memory.future[this.memory.future.length - 1] : null;
    if (at >= 0) {
      this.memory.future.push(path.slice());
      this.path = path.slice(0, at + 1);
      this.memory.pushed = Math.max(0, this.memory.pushed - 1);
    } else if (future && future[future.length - 1].node === id) {
      this.path = this.memory.future.pop();
      this.memory.pushed += 1;
    } else {
      this.path = this.pathTo(id);
      this.memory.future = [];
    }
    this.render(true);
  };

  /* The theme's instant navigation draws the page again after back/forward, even within a
   * page: the walker moves at once, and the one drawn next takes up its memory (and focus). */
  window.addEventListener("popstate", function () {
    var params = new URL(window.location.href).searchParams;
    var want = params.get(STEP_PARAM);
    for (var i = 0; i < walkers.length; i++) {
      /* Back to another page: the theme loads it; this page's walkers stay as they are. */
      if (!document.body.contains(walkers[i].root) || walkers[i].page !== window.location.pathname) {
        continue;
      }
      walkers[i].memory.focus = walkers[i].root.contains(document.activeElement);
      var awaiting = walkers[i].memory.awaiting;
      if (awaiting.length) {
        var expected = awaiting.shift();
        var start = walkers[i].node(walkers[i].data.start).anchor;
        if (expected === (want || start)) continue;
        awaiting.length = 0; /* not ours after all: follow the address */
      }
      if (want && walkers[i].anchors[want]) {
        walkers[i].travel(want);
      } else if (!want) {
        walkers[i].travel(null); /* back to the page as it was first shown */
      }
    }
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

  /* ------------------------------------------------- print this runbook
   * The print styles show each tree's text version with every branch expanded; a closed
   * <details> prints closed in browsers without `::details-content`, so the text versions are
   * opened for printing (whatever starts it: the button, Ctrl+P) and closed again after. */
  var reopened = [];

  window.addEventListener("beforeprint", function () {
    var folded = document.querySelectorAll(".rb-tree__static:not([open])");
    for (var i = 0; i < folded.length; i++) {
      folded[i].open = true;
      reopened.push(folded[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (details) {
      details.open = false;
    });
    reopened = [];
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest(".rb-print") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

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

/* ------------------------------------------------------------------ destructive steps
 *
 * A block marked `danger=` carries its confirmation texts (`data-rb-danger-ask`, `-yes`, `-no`,
 * in the page's language). Its copy button (the theme's: Material and Zensical both copy through
 * a delegated click on `[data-clipboard-target]`) first asks in a modal <dialog>: keyboard
 * operable, focus on "Cancel", Escape cancels. Cancel leaves the clipboard alone; confirm clicks
 * the button again, and the theme copies as it always does (commands only, filled variables).
 * Listening on the document in the capture phase runs before the theme's own listener, on every
 * page of an instant navigation, with nothing to re-initialise.
 */
(function () {
  "use strict";

  if (window.__runbookdocsDanger) return;
  window.__runbookdocsDanger = true;

  var allowed = null; /* the copy button whose next click was confirmed */
  var dialog = null;
  var pending = null;

  function ensureDialog() {
    if (dialog && document.body.contains(dialog)) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "rb-confirm";
    dialog.setAttribute("aria-labelledby", "rb-confirm-text");
    var form = document.createElement("form");
    form.method = "dialog";
    var text = document.createElement("p");
    text.id = "rb-confirm-text";
    text.className = "rb-confirm__text";
    var actions = document.createElement("div");
    actions.className = "rb-confirm__actions";
    var no = document.createElement("button");
    no.value = "no";
    no.className = "rb-confirm__no";
    var yes = document.createElement("button");
    yes.value = "yes";
    yes.className = "rb-confirm__yes";
    actions.appendChild(no);
    actions.appendChild(yes);
    form.appendChild(text);
    form.appendChild(actions);
    dialog.appendChild(form);
    dialog.addEventListener("close", function () {
      var button = pending;
      pending = null;
      if (!button) return;
      if (dialog.returnValue === "yes") {
        allowed = button;
        button.click();
      }
      if (typeof button.focus === "function") button.focus();
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function ask(block, button) {
    var box = ensureDialog();
    box.querySelector(".rb-confirm__text").textContent = block.getAttribute("data-rb-danger-ask");
    box.querySelector(".rb-confirm__no").textContent = block.getAttribute("data-rb-danger-no");
    box.querySelector(".rb-confirm__yes").textContent = block.getAttribute("data-rb-danger-yes");
    box.returnValue = "";
    pending = button;
    box.showModal();
    box.querySelector(".rb-confirm__no").focus();
  }

  document.addEventListener(
    "click",
    function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest("[data-clipboard-target]") : null;
      if (!button) return;
      var block = button.closest(".rb-block[data-rb-danger-ask]");
      if (!block) return;
      if (allowed === button) {
        allowed = null;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      ask(block, button);
    },
    true
  );
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
