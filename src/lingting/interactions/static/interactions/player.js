// The recording follows along the transcript: the turn being heard is marked and kept in
// view; a turn's time seeks the recording to it. The speed buttons set how fast it plays.
(function () {
  "use strict";
  const audio = document.getElementById("recording");
  if (!audio) return;
  const turns = Array.from(document.querySelectorAll(".turn[data-start]")).map((element) => ({
    element: element,
    start: parseFloat(element.dataset.start),
    end: parseFloat(element.dataset.end),
  }));
  let playing = null;

  function follow() {
    const now = audio.currentTime;
    // The last turn that has started: while two speakers overlap, the newer one.
    let heard = null;
    for (const turn of turns) {
      if (turn.start <= now && now < Math.max(turn.end, turn.start + 0.5)) heard = turn;
    }
    if (heard === playing) return;
    if (playing) playing.element.classList.remove("is-playing");
    playing = heard;
    if (playing) {
      playing.element.classList.add("is-playing");
      playing.element.scrollIntoView({ block: "nearest" });
    }
  }

  audio.addEventListener("timeupdate", follow);
  audio.addEventListener("seeked", follow);
  document.querySelectorAll("button.seek").forEach((button) => {
    button.addEventListener("click", () => {
      audio.currentTime = parseFloat(button.dataset.seek);
      follow();
    });
  });

  const rates = Array.from(document.querySelectorAll("button.speed-rate"));
  function showRate() {
    for (const button of rates) {
      const chosen = parseFloat(button.dataset.rate) === audio.playbackRate;
      button.setAttribute("aria-pressed", String(chosen));
    }
  }
  rates.forEach((button) => {
    button.addEventListener("click", () => {
      // Both: loading the file again resets playbackRate to defaultPlaybackRate.
      audio.defaultPlaybackRate = parseFloat(button.dataset.rate);
      audio.playbackRate = audio.defaultPlaybackRate;
    });
  });
  audio.addEventListener("ratechange", showRate);
})();
