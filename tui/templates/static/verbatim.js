// Verbatim's page: put the keyboard in the terminal as soon as xterm.js has made it, so a
// patient can type at once without clicking first.
window.addEventListener("load", () => {
  let tries = 0;
  const focus = () => {
    const box = document.querySelector(".xterm-helper-textarea");
    if (box) {
      box.focus();
    } else if (tries++ < 200) {
      setTimeout(focus, 50);
    }
  };
  focus();
});
