// Registration form: show the fields each kind of item uses, and check the household
// range of a pledge while the user types (the server checks again on save).
(function () {
  "use strict";
  var FIELDS = {
    content: ["content", "target_quantity", "target_unit"],
    initiative: ["initiative_name", "initiative_status", "initiative", "model_field", "area", "target_quantity", "target_unit"],
    outstanding_area: ["area"],
    sponsorship_pledge: ["area", "households_pledged"],
    fund_target: ["amount"],
    communication: ["target_quantity", "target_unit"],
    supervision: ["target_quantity", "target_unit"],
    other: ["target_quantity", "target_unit", "amount"]
  };
  var ALWAYS = ["kind", "description", "DELETE"];

  function update(card) {
    var kindSelect = card.querySelector(".js-kind");
    if (!kindSelect) { return; }
    var wanted = FIELDS[kindSelect.value];
    card.querySelectorAll(".item-field").forEach(function (box) {
      var name = box.getAttribute("data-field");
      var show = !wanted || ALWAYS.indexOf(name) >= 0 || wanted.indexOf(name) >= 0;
      box.classList.toggle("d-none", !show);
    });
  }

  function checkPledge(input) {
    var min = parseInt(input.getAttribute("data-min"), 10);
    var max = parseInt(input.getAttribute("data-max"), 10);
    var value = input.value === "" ? null : parseInt(input.value, 10);
    var message = "";
    if (value !== null && (isNaN(value) || value < min || value > max)) {
      message = (document.documentElement.lang === "vi" ? "Từ " + min + " đến " + max + " hộ" : min + " to " + max + " households");
    }
    input.setCustomValidity(message);
    input.classList.toggle("is-invalid", message !== "");
  }

  document.querySelectorAll(".item-card").forEach(function (card) {
    update(card);
    var kindSelect = card.querySelector(".js-kind");
    if (kindSelect) { kindSelect.addEventListener("change", function () { update(card); }); }
  });
  document.querySelectorAll(".js-pledge").forEach(function (input) {
    input.addEventListener("input", function () { checkPledge(input); });
  });
}());
