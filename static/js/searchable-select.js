// Searchable choosers (core/widgets.py SearchableSelectMultiple and SearchableSelect): a filter
// box over a list of checkboxes, or over a select. Typing hides what does not match, accents
// and case ignored ("thi" finds "Thị"); what is chosen stays in view. In the box, Enter ticks
// the first match (or picks it in a select) and the down arrow goes into the list; in the list
// the arrows move between the options shown and Escape goes back to the box.
// Other scripts that change the options call window.portalSearchableSelect.refresh(box);
// window.portalSearchableSelect.setup(root) wires choosers added to the page later.
(function () {
  "use strict";

  function normalize(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase();
  }

  function isMultiple(box) {
    return box.getAttribute("data-searchable-select") === "multiple";
  }

  function rows(box) {
    if (isMultiple(box)) {
      return Array.prototype.slice.call(box.querySelectorAll(".searchable-options .form-check"));
    }
    var select = box.querySelector("select");
    return select ? Array.prototype.slice.call(select.options) : [];
  }

  function isChosen(row) {
    if (row.tagName === "OPTION") { return row.selected && row.value !== ""; }
    var box = row.querySelector("input");
    return Boolean(box && box.checked);
  }

  function words(box) {
    var filter = box.querySelector(".searchable-filter");
    return normalize(filter ? filter.value : "").split(/\s+/).filter(Boolean);
  }

  function matches(row, wanted) {
    var text = normalize(row.textContent);
    return wanted.every(function (word) { return text.indexOf(word) >= 0; });
  }

  function refresh(box) {
    var wanted = words(box);
    var all = rows(box);
    var shown = 0;
    var chosen = 0;
    all.forEach(function (row) {
      var keep = isChosen(row) || (row.tagName === "OPTION" && row.value === "") || matches(row, wanted);
      row.hidden = !keep;
      if (keep) { shown += 1; }
      if (isChosen(row)) { chosen += 1; }
    });
    var empty = box.querySelector(".searchable-empty");
    if (empty) { empty.hidden = shown > 0; }
    var status = box.querySelector(".searchable-status");
    var template = box.getAttribute("data-label-status");
    if (status && template) {
      status.textContent = template
        .replace("{chosen}", String(chosen))
        .replace("{shown}", String(shown))
        .replace("{total}", String(all.length));
    }
  }

  function visibleBoxes(box) {
    return rows(box).filter(function (row) { return !row.hidden; }).map(function (row) {
      return row.querySelector("input");
    });
  }

  function pickFirst(box) {
    var wanted = words(box);
    if (!wanted.length) { return; }
    if (isMultiple(box)) {
      var first = rows(box).filter(function (row) { return !isChosen(row) && matches(row, wanted); })[0];
      if (!first) { return; }
      var input = first.querySelector("input");
      input.checked = true;
      input.dispatchEvent(new Event("change", {bubbles: true}));
    } else {
      var select = box.querySelector("select");
      var option = rows(box).filter(function (row) { return row.value !== "" && matches(row, wanted); })[0];
      if (!select || !option) { return; }
      select.value = option.value;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
    refresh(box);
  }

  function setup(box) {
    if (box.getAttribute("data-searchable-ready")) { return; }
    box.setAttribute("data-searchable-ready", "1");
    var filter = box.querySelector(".searchable-filter");
    if (!filter) { return; }
    filter.addEventListener("input", function () { refresh(box); });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter here picks a match; it does not send the form
        pickFirst(box);
      } else if (event.key === "ArrowDown") {
        var target = isMultiple(box) ? visibleBoxes(box)[0] : box.querySelector("select");
        if (target) { event.preventDefault(); target.focus(); }
      } else if (event.key === "Escape" && filter.value) {
        event.preventDefault();
        filter.value = "";
        refresh(box);
      }
    });
    box.addEventListener("change", function () { refresh(box); });
    var list = box.querySelector(".searchable-options");
    if (list) {
      list.addEventListener("keydown", function (event) {
        var inputs = visibleBoxes(box);
        var at = inputs.indexOf(event.target);
        if (at < 0) { return; }
        if (event.key === "ArrowDown" && at < inputs.length - 1) {
          event.preventDefault();
          inputs[at + 1].focus();
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          (at > 0 ? inputs[at - 1] : filter).focus();
        } else if (event.key === "Escape") {
          event.preventDefault();
          filter.focus();
        }
      });
    }
    refresh(box);
  }

  function setupAll(root) {
    (root || document).querySelectorAll("[data-searchable-select]").forEach(setup);
  }

  window.portalSearchableSelect = {setup: setupAll, refresh: refresh};
  setupAll(document);
}());
