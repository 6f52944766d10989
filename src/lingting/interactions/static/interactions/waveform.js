// The recording's waveform drives the player: a click anywhere on it, on a deduction's
// marker or on a deduction in the list below it plays the call from there, and a playhead
// follows what is heard.
(function () {
  "use strict";
  const audio = document.getElementById("recording");
  const waveform = document.getElementById("waveform");
  if (!audio || !waveform) return;
  const duration = parseFloat(waveform.dataset.duration);
  const width = waveform.viewBox.baseVal.width;
  const playhead = document.getElementById("waveform-playhead");

  function playFrom(seconds) {
    audio.currentTime = Math.min(Math.max(seconds, 0), duration);
    const playing = audio.play();
    // A browser may refuse to play (no sound device, a policy); the position has moved anyway.
    if (playing) playing.catch(() => {});
  }

  function showPlayhead() {
    const x = (Math.min(audio.currentTime, duration) / duration) * width;
    playhead.setAttribute("x1", x.toFixed(1));
    playhead.setAttribute("x2", x.toFixed(1));
    playhead.classList.add("is-shown");
  }

  // timeupdate comes a few times a second: between them, the playhead moves with each frame.
  function followPlayback() {
    showPlayhead();
    if (!audio.paused) window.requestAnimationFrame(followPlayback);
  }

  waveform.addEventListener("click", (event) => {
    const marker = event.target.closest(".wf-marker");
    if (marker) {
      playFrom(parseFloat(marker.dataset.seek));
      return;
    }
    const box = waveform.getBoundingClientRect();
    playFrom(((event.clientX - box.left) / box.width) * duration);
  });
  document.querySelectorAll("button.wf-seek").forEach((button) => {
    button.addEventListener("click", () => playFrom(parseFloat(button.dataset.seek)));
  });
  audio.addEventListener("play", followPlayback);
  audio.addEventListener("seeked", showPlayhead);
  audio.addEventListener("timeupdate", showPlayhead);
})();
