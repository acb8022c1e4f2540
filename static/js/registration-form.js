// Registration form: show the fields each kind of item uses, and check the program's rules
// while the user types. The rules' numbers and messages come from the form's data-*
// attributes, rendered by the server from the program (registrations/rules.py live_rules);
// the server checks everything again on save and on submit.
(function () {
  "use strict";
  var FIELDS = {
    content: ["content", "target_quantity", "target_unit"],
    initiative: ["initiative_name", "novelty", "initiative", "initiative_field", "area", "target_quantity", "target_unit"],
    outstanding_area: ["area"],
    sponsorship_pledge: ["area", "households_pledged", "households"],
    fund_target: ["amount"],
    communication: ["target_quantity", "target_unit"],
    supervision: ["target_quantity", "target_unit"],
    other: ["target_quantity", "target_unit", "amount"]
  };
  var ALWAYS = ["kind", "description", "DELETE"];
  var form = document.getElementById("items-form");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(form.querySelectorAll(".item-card"));
  // The cards of the items already saved come first (the formset's initial forms).
  var initialInput = form.querySelector('[name$="-INITIAL_FORMS"]');
  var initialCount = initialInput ? parseInt(initialInput.value, 10) || 0 : 0;
  var summary = document.getElementById("live-findings");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function message(code, values) {
    return fill(form.getAttribute("data-msg-" + code) || "", values);
  }

  function control(card, name) {
    return card.querySelector('[name$="-' + name + '"]');
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
    var box = control(card, "DELETE");
    return Boolean(box && box.checked);
  }

  function hasData(card) {
    return Array.prototype.some.call(card.querySelectorAll("input, select, textarea"), function (element) {
      if (element.type === "checkbox" || element.type === "radio") { return element.checked; }
      return String(element.value || "").trim() !== "";
    });
  }

  // The rows the server saves and numbers (registrations/forms.py item_rows): every item already
  // saved, and every new row with something entered, less the rows ticked "Delete".
  function inUse(card, index) {
    return !isDeleted(card) && (index < initialCount || hasData(card));
  }

  function showFields(card) {
    var wanted = FIELDS[value(card, "kind")];
    card.querySelectorAll(".item-field").forEach(function (box) {
      var name = box.getAttribute("data-field");
      var show = !wanted || ALWAYS.indexOf(name) >= 0 || wanted.indexOf(name) >= 0;
      box.classList.toggle("d-none", !show);
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
    var select = control(card, "households");
    if (!select) { return; }
    var area = value(card, "area");
    var present = {};
    Array.prototype.slice.call(select.options).forEach(function (option) {
      if (option.selected || (area !== "" && option.getAttribute("data-area") === area)) {
        present[option.value] = true;
      } else {
        select.removeChild(option);
      }
    });
    if (area === "") { return; }
    householdOptions.forEach(function (row) {
      var id = String(row[0]);
      if (String(row[2]) !== area || present[id]) { return; }
      var option = document.createElement("option");
      option.value = id;
      option.textContent = row[1];
      option.setAttribute("data-area", String(row[2]));
      select.appendChild(option);
    });
  }

  function mark(card, name, invalid) {
    var element = control(card, name);
    if (element) { element.classList.toggle("is-invalid", invalid); }
  }

  // The findings of one item, as registrations/rules.py item_findings gives them.
  function itemFindings(card, n) {
    var found = [];
    var kind = value(card, "kind");
    var low = parseInt(form.getAttribute("data-min-households"), 10);
    var high = parseInt(form.getAttribute("data-max-households"), 10);
    var bad = {};
    function error(code, field, values) {
      values.n = n;
      found.push(message(code, values));
      if (field) { bad[field] = true; }
    }
    if (kind === "") { return {messages: found, bad: bad}; }
    if (value(card, "description") === "") { error("description-missing", "description", {}); }
    if (kind === "content" && value(card, "content") === "") { error("content-missing", "content", {}); }
    if (kind === "initiative") {
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
      var select = control(card, "households");
      var named = select ? Array.prototype.filter.call(select.options, function (o) { return o.selected; }) : [];
      if (pledged !== null && named.length > pledged) {
        error("named-exceeds-pledge", "households", {named: named.length, pledged: pledged});
      }
      var area = value(card, "area");
      named.forEach(function (option) {
        if (area !== "" && option.getAttribute("data-area") !== area) {
          error("household-outside-area", "households", {
            name: option.text.split(" – ")[0],
            area: chosenLabel(control(card, "area"))
          });
        }
      });
    }
    if (kind === "fund_target" && value(card, "amount") === "") { error("amount-missing", "amount", {}); }
    return {messages: found, bad: bad};
  }

  function list(className, heading, lines) {
    var box = document.createElement("div");
    box.className = "alert " + className;
    var title = document.createElement("p");
    title.className = "fw-bold mb-1";
    title.textContent = heading;
    var ul = document.createElement("ul");
    ul.className = "mb-0";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      ul.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(ul);
    return box;
  }

  function check() {
    var errors = [];
    var kinds = {};
    var pledgedAreas = {};
    var n = 0;  // the item's number in the server's messages: rows in use only
    cards.forEach(function (card, index) {
      var own = card.querySelector(".live-item-findings");
      var legend = card.querySelector("legend");
      var result = {messages: [], bad: {}};
      if (legend) {  // the card's heading says the number the item's messages use
        legend.textContent = inUse(card, index) ? form.getAttribute("data-label-item") + " " + (n + 1) : form.getAttribute("data-label-new-item");
      }
      if (inUse(card, index)) {
        n += 1;
        result = itemFindings(card, n);
        var kind = value(card, "kind");
        kinds[kind] = (kinds[kind] || 0) + 1;
        var area = value(card, "area");
        if (kind === "sponsorship_pledge" && area !== "") {
          if (pledgedAreas[area]) {
            result.messages.push(message("pledge-duplicate-area", {n: n, first: pledgedAreas[area]}));
            result.bad.area = true;
          } else {
            pledgedAreas[area] = n;
          }
        }
      }
      var show = card.getAttribute("data-touched") === "1";
      ["description", "content", "initiative_name", "initiative_field", "area", "households_pledged", "households", "amount"].forEach(function (name) {
        mark(card, name, show && Boolean(result.bad[name]));
      });
      if (own) {
        own.textContent = "";
        if (show) {
          result.messages.forEach(function (line) {
            var li = document.createElement("li");
            li.textContent = line;
            own.appendChild(li);
          });
        }
      }
      if (show) { errors = errors.concat(result.messages); }
    });
    var warnings = [];
    var count = parseInt(form.getAttribute("data-warnings") || "0", 10);
    for (var i = 1; i <= count; i += 1) {
      var parts = (form.getAttribute("data-warning-" + i) || "").split("|");
      if (parts.length >= 3 && (kinds[parts[0]] || 0) < parseInt(parts[1], 10)) {
        warnings.push(parts.slice(2).join("|"));
      }
    }
    if (!summary) { return; }
    summary.textContent = "";
    if (errors.length) { summary.appendChild(list("alert-danger", form.getAttribute("data-label-errors"), errors)); }
    if (warnings.length) { summary.appendChild(list("alert-warning", form.getAttribute("data-label-warnings"), warnings)); }
  }

  cards.forEach(function (card, index) {
    showFields(card);
    filterHouseholds(card);
    if (inUse(card, index)) { card.setAttribute("data-touched", "1"); }
    function changed(event) {
      card.setAttribute("data-touched", "1");
      if (event.target.matches(".js-kind")) { showFields(card); }
      if (event.target.matches(".js-area")) { filterHouseholds(card); }
      check();
    }
    card.addEventListener("input", changed);
    card.addEventListener("change", changed);
  });
  check();
}());
