// Registration form: show the fields each kind of item uses and mark those it needs, add item
// blocks, and check the program's rules as the user works. A field's message shows next to it
// once the user has left it (never while they have not acted); the summary at the top is the
// server's, after a save. The rules' numbers and messages come from the form's data-*
// attributes, rendered by the server (registrations/rules.py live_rules, registrations/forms.py
// FIELDS_BY_KIND and REQUIRED_BY_KIND); the server checks everything again on save and submit.
(function () {
  "use strict";
  var form = document.getElementById("items-form");
  if (!form) { return; }
  var FIELDS = JSON.parse(form.getAttribute("data-fields") || "{}");
  var REQUIRED = JSON.parse(form.getAttribute("data-required") || "{}");
  var ALWAYS = FIELDS.common || ["kind", "description", "DELETE"];
  var CHECKED = ["description", "content", "initiative_name", "initiative_field", "area", "households_pledged", "households", "amount"];
  var container = document.getElementById("item-cards");
  var template = document.getElementById("item-template");
  var totalInput = form.querySelector('[name$="-TOTAL_FORMS"]');
  // The cards of the items already saved come first (the formset's initial forms).
  var initialInput = form.querySelector('[name$="-INITIAL_FORMS"]');
  var initialCount = initialInput ? parseInt(initialInput.value, 10) || 0 : 0;
  var warningBox = document.getElementById("form-warnings");
  var cards = [];

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // A rule's message without its "Item n: " lead: it shows in the item's own card.
  function message(code, values) {
    var text = fill(form.getAttribute("data-msg-" + code) || "", values);
    var lead = form.getAttribute("data-label-item") + " " + values.n + ": ";
    if (text.indexOf(lead) === 0) {
      text = text.slice(lead.length);
      text = text.charAt(0).toUpperCase() + text.slice(1);
    }
    return text;
  }

  function control(card, name) {
    return card.querySelector('[name$="-' + name + '"]');
  }

  function box(card, name) {
    return card.querySelector('.item-field[data-field="' + name + '"]');
  }

  // The element a field's state is shown on: the control, or a chooser's filter box.
  function shownControl(card, name) {
    var field = box(card, name);
    return field ? field.querySelector(".searchable-filter") || control(card, name) : null;
  }

  function householdBox(card) {
    return card.querySelector('.item-field[data-field="households"] [data-searchable-select]');
  }

  function chosenHouseholds(card) {
    var chooser = householdBox(card);
    return chooser ? Array.prototype.filter.call(chooser.querySelectorAll("input[type=checkbox]"), function (input) {
      return input.checked;
    }) : [];
  }

  function value(card, name) {
    var element = control(card, name);
    return element ? String(element.value || "").trim() : "";
  }

  function chosenLabel(select) {
    var option = select && select.options[select.selectedIndex];
    return option ? option.text : "";
  }

  function isDeleted(card) {
    var input = control(card, "DELETE");
    return Boolean(input && input.checked);
  }

  function hasData(card) {
    return Array.prototype.some.call(card.querySelectorAll("input:not(.searchable-filter), select, textarea"), function (element) {
      if (element.type === "hidden") { return false; }
      if (element.type === "checkbox" || element.type === "radio") { return element.checked; }
      return String(element.value || "").trim() !== "";
    });
  }

  // The rows the server saves and numbers (registrations/forms.py item_rows): every item already
  // saved, and every new row with something entered, less the rows ticked "Delete".
  function inUse(card, index) {
    return !isDeleted(card) && (index < initialCount || hasData(card));
  }

  function setStar(card, name, required) {
    var field = box(card, name);
    if (!field) { return; }
    var label = field.querySelector("label.form-label");
    var star = label && label.querySelector(".asteriskField");
    if (label && required && !star) {
      star = document.createElement("span");
      star.className = "asteriskField";
      star.textContent = "*";
      label.appendChild(star);
    } else if (star && !required) {
      star.remove();
    }
    var element = shownControl(card, name);
    if (element) {
      if (required) { element.setAttribute("aria-required", "true"); } else { element.removeAttribute("aria-required"); }
    }
  }

  function showFields(card) {
    var kind = value(card, "kind");
    var wanted = FIELDS[kind];
    var needed = (REQUIRED[kind] || []).slice();
    if (kind === "initiative" && value(card, "initiative") !== "") {
      needed = needed.filter(function (name) { return name !== "initiative_name" && name !== "initiative_field"; });
    }
    card.querySelectorAll(".item-field").forEach(function (field) {
      var name = field.getAttribute("data-field");
      var show = !wanted || ALWAYS.indexOf(name) >= 0 || wanted.indexOf(name) >= 0 || Boolean(field.querySelector(".is-invalid"));
      field.classList.toggle("d-none", !show);
      if (ALWAYS.indexOf(name) < 0) { setStar(card, name, needed.indexOf(name) >= 0); }
    });
  }

  // Every household a row may offer, sent once by the page: [id, label, area id].
  var householdOptions = (function () {
    var data = document.getElementById("household-options");
    return data ? JSON.parse(data.textContent) : [];
  })();

  // Offer the households of the chosen area only (a chosen one stays, to be flagged). The
  // server draws a row with its own area's households; another area's come from the list.
  function filterHouseholds(card) {
    var chooser = householdBox(card);
    if (!chooser) { return; }
    var list = chooser.querySelector(".searchable-options");
    var empty = list.querySelector(".searchable-empty");
    var area = value(card, "area");
    var present = {};
    Array.prototype.slice.call(list.querySelectorAll(".form-check")).forEach(function (row) {
      var input = row.querySelector("input");
      if (input.checked || (area !== "" && row.getAttribute("data-area") === area)) {
        present[input.value] = true;
      } else {
        row.remove();
      }
    });
    if (area !== "") {
      var name = chooser.getAttribute("data-name");
      var base = chooser.id.replace(/_box$/, "");
      householdOptions.forEach(function (option) {
        var id = String(option[0]);
        if (String(option[2]) !== area || present[id]) { return; }
        var row = document.createElement("div");
        row.className = "form-check";
        row.setAttribute("data-area", String(option[2]));
        var input = document.createElement("input");
        input.className = "form-check-input";
        input.type = "checkbox";
        input.name = name;
        input.value = id;
        input.id = base + "_h" + id;
        var label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = input.id;
        label.textContent = option[1];
        row.appendChild(input);
        row.appendChild(label);
        list.insertBefore(row, empty);
      });
    }
    if (window.portalSearchableSelect) { window.portalSearchableSelect.refresh(chooser); }
  }

  // The findings of one item, as registrations/rules.py item_findings gives them, by field.
  function itemFindings(card, n) {
    var bad = {};
    var kind = value(card, "kind");
    var low = parseInt(form.getAttribute("data-min-households"), 10);
    var high = parseInt(form.getAttribute("data-max-households"), 10);
    function error(code, field, values) {
      values.n = n;
      if (!bad[field]) { bad[field] = message(code, values); }
    }
    if (kind === "") { return bad; }
    if (value(card, "description") === "") { error("description-missing", "description", {}); }
    if (kind === "content" && value(card, "content") === "") { error("content-missing", "content", {}); }
    if (kind === "initiative" && value(card, "initiative") === "") {
      if (value(card, "initiative_name") === "") { error("initiative-name-missing", "initiative_name", {}); }
      if (value(card, "initiative_field") === "") { error("model-field-missing", "initiative_field", {}); }
    }
    if ((kind === "outstanding_area" || kind === "sponsorship_pledge") && value(card, "area") === "") {
      error("area-missing", "area", {});
    }
    if (kind === "sponsorship_pledge") {
      var raw = value(card, "households_pledged");
      var pledged = /^\d+$/.test(raw) ? parseInt(raw, 10) : null;
      if (pledged === null || pledged < low || pledged > high) {
        error("pledge-out-of-range", "households_pledged", {value: raw === "" ? "—" : raw});
      }
      var named = chosenHouseholds(card);
      if (pledged !== null && named.length > pledged) {
        error("named-exceeds-pledge", "households", {named: named.length, pledged: pledged});
      }
      var area = value(card, "area");
      named.forEach(function (input) {
        var row = input.closest(".form-check");
        if (area !== "" && row.getAttribute("data-area") !== area) {
          error("household-outside-area", "households", {
            name: row.textContent.split(" – ")[0].trim(),
            area: chosenLabel(control(card, "area"))
          });
        }
      });
    }
    if (kind === "fund_target" && value(card, "amount") === "") { error("amount-missing", "amount", {}); }
    return bad;
  }

  // A field's message next to it: the server's while its value is the one it judged, else
  // the live check's once the user has left the field.
  function showError(card, name, text) {
    var element = shownControl(card, name);
    var field = box(card, name);
    if (!element || !field) { return; }
    var state = card.fieldState[name] || {};
    var serverShown = state.server && currentValue(card, name) === state.value;
    var live = field.querySelector(".live-feedback");
    var showLive = !serverShown && Boolean(text) && Boolean(state.left);
    if (showLive && !live) {
      live = document.createElement("div");
      live.className = "invalid-feedback live-feedback";
      live.id = (element.id || "field") + "_live";
      var after = field.querySelector(".searchable-select") || control(card, name);
      after.insertAdjacentElement("afterend", live);
    }
    if (live) {
      live.textContent = showLive ? text : "";
      if (!showLive) { live.remove(); }
    }
    var invalid = serverShown || showLive;
    element.classList.toggle("is-invalid", invalid);
    var chooser = field.querySelector(".searchable-select");
    if (chooser) { chooser.classList.toggle("is-invalid", invalid); }
    if (invalid) { element.setAttribute("aria-invalid", "true"); } else { element.removeAttribute("aria-invalid"); }
    var described = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== element.id + "_live";
    });
    if (showLive) { described.push(live.id); }
    if (described.length) { element.setAttribute("aria-describedby", described.join(" ")); } else { element.removeAttribute("aria-describedby"); }
  }

  function currentValue(card, name) {
    if (name === "households") {
      return chosenHouseholds(card).map(function (input) { return input.value; }).sort().join(",");
    }
    return value(card, name);
  }

  function check() {
    var kinds = {};
    var pledgedAreas = {};
    var n = 0;  // the item's number in the server's messages: rows in use only
    cards.forEach(function (card, index) {
      var legend = card.querySelector("legend");
      var bad = {};
      var used = inUse(card, index);
      if (legend) {  // the card's heading says the number the item's messages use
        legend.textContent = used ? form.getAttribute("data-label-item") + " " + (n + 1) : form.getAttribute("data-label-new-item");
      }
      if (used) {
        n += 1;
        bad = itemFindings(card, n);
        var kind = value(card, "kind");
        kinds[kind] = (kinds[kind] || 0) + 1;
        var area = value(card, "area");
        if (kind === "sponsorship_pledge" && area !== "") {
          if (pledgedAreas[area]) {
            bad.area = bad.area || message("pledge-duplicate-area", {n: n, first: pledgedAreas[area]});
          } else {
            pledgedAreas[area] = n;
          }
        }
      }
      CHECKED.forEach(function (name) { showError(card, name, bad[name]); });
    });
    if (warningBox) {
      var any = false;
      warningBox.querySelectorAll("li[data-kind]").forEach(function (line) {
        var missing = (kinds[line.getAttribute("data-kind")] || 0) < parseInt(line.getAttribute("data-need"), 10);
        line.hidden = !missing;
        any = any || missing;
      });
      warningBox.hidden = !any;
    }
  }

  function fieldName(card, element) {
    var field = element.closest(".item-field");
    return field ? field.getAttribute("data-field") : null;
  }

  function wire(card) {
    cards.push(card);
    // The fields the server judged: their message stays until their value changes.
    card.fieldState = {};
    CHECKED.forEach(function (name) {
      var element = shownControl(card, name);
      var server = Boolean(element && element.classList.contains("is-invalid"));
      card.fieldState[name] = {server: server, value: currentValue(card, name), left: server};
    });
    showFields(card);
    filterHouseholds(card);
    function left(event) {
      var name = fieldName(card, event.target);
      if (!name || !card.fieldState[name]) { return; }
      // Leaving a field within the households chooser is not leaving the chooser.
      var field = box(card, name);
      if (event.relatedTarget && field.contains(event.relatedTarget)) { return; }
      card.fieldState[name].left = true;
      check();
    }
    function changed(event) {
      if (event.target.matches(".js-kind") || fieldName(card, event.target) === "initiative") { showFields(card); }
      if (event.target.matches(".js-area")) { filterHouseholds(card); }
      var name = fieldName(card, event.target);
      if (event.type === "change" && name && card.fieldState[name] && event.target.tagName === "SELECT") {
        card.fieldState[name].left = true;  // a choice made is an act on that field
      }
      check();
    }
    card.addEventListener("focusout", left);
    card.addEventListener("input", changed);
    card.addEventListener("change", changed);
  }

  Array.prototype.slice.call(container.querySelectorAll(".item-card")).forEach(wire);

  // "Add an item": a new block from the formset's empty form, numbered after the others.
  var add = document.getElementById("add-item");
  if (add && template && totalInput) {
    add.classList.remove("invisible");
    add.addEventListener("click", function () {
      var index = parseInt(totalInput.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var card = holder.querySelector(".item-card");
      container.appendChild(card);
      totalInput.value = String(index + 1);
      if (window.portalSearchableSelect) { window.portalSearchableSelect.setup(card); }
      wire(card);
      check();
      var kind = card.querySelector(".js-kind");
      if (kind) { kind.focus(); }
    });
  }
  check();
}());
