/* Live mode: Stripe's Payment Element saves the card for later; the card number goes to Stripe only. */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("card-submit");
  elements.create("payment").mount("#payment-element");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    stripe
      .confirmSetup({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || "The card could not be saved. Please try again.";
          button.disabled = false;
        }
      });
  });
})();
