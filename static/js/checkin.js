/* The check-in page: scans the badge QR code with the camera (BarcodeDetector where the
   browser has it, else the vendored jsQR) and submits the code; typing it works without. */
(function () {
  "use strict";
  var root = document.querySelector("[data-checkin]");
  if (!root) return;
  var form = root.querySelector("[data-checkin-form]");
  var field = form.querySelector("input[name=code]");
  var scan = root.querySelector("[data-scan]");
  var video = root.querySelector("[data-scan-video]");
  var canvas = root.querySelector("[data-scan-canvas]");
  var status = root.querySelector("[data-scan-status]");
  var start = root.querySelector("[data-scan-start]");
  var stop = root.querySelector("[data-scan-stop]");
  var stream = null;
  var detector = null;
  var timer = null;

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  if (!("BarcodeDetector" in window) && typeof window.jsQR !== "function") return;
  scan.hidden = false;

  function say(key) { status.textContent = form.dataset[key] || ""; }

  function found(text) {
    if (!text) return false;
    field.value = text;
    say("msgFound");
    halt();
    form.submit();
    return true;
  }

  function readWithJsQR() {
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  }

  function tick() {
    if (!stream) return;
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (!(codes.length && found(codes[0].rawValue))) timer = setTimeout(tick, 200);
      }, function () {
        if (typeof window.jsQR === "function") detector = null;
        timer = setTimeout(tick, 400);
      });
    } else {
      if (!found(readWithJsQR())) timer = setTimeout(tick, 250);
    }
  }

  function halt() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    start.hidden = false;
    stop.hidden = true;
  }

  start.addEventListener("click", function () {
    say("msgStarting");
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function () {
        start.hidden = true;
        stop.hidden = false;
        say("msgScanning");
        tick();
      })
      .catch(function () {
        halt();
        say("msgDenied");
        field.focus();
      });
  });

  stop.addEventListener("click", function () { halt(); say("msgOff"); });
  window.addEventListener("pagehide", halt);
})();
