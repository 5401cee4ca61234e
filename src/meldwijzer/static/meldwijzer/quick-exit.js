// "Snel weg" on the public pages of the sociale kaart: leave at once for a neutral site, and
// replace this page in the browser's history, so that Back does not bring it back. The link
// itself works without JavaScript too (then as an ordinary link). Pressing Escape twice within
// a second does the same as the link.
(() => {
  const link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  const leave = () => {
    document.body.hidden = true;
    window.location.replace(link.href);
  };
  link.addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const now = Date.now();
    if (now - lastEscape < 1000) {
      event.preventDefault();
      leave();
    }
    lastEscape = now;
  });
})();
