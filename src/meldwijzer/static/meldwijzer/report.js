// The print button on the report page; without JavaScript the browser's own print command works.
document.querySelectorAll("[data-report-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
