// Scans a worker's pickup QR code with the tablet's camera, for the station console:
//   <button data-zd-scan="code-input" aria-controls="scan-panel"
//           data-zd-scan-denied="…" data-zd-scan-unsupported="…">
//   <div id="scan-panel" hidden><video …></video><p data-zd-scan-status></p>
//        <button data-zd-scan-stop>…</button></div>
// The decoded text goes into the code input and its form is submitted, as if typed; with
// data-zd-scan="@go" (a volunteer's check-in) a link of this site that was read is opened. The
// browser's own BarcodeDetector is used where it reads QR codes (Android, macOS); elsewhere
// the barcode-detector library (ZXing compiled to WebAssembly), served from /vendor by our
// own server, is loaded on the first scan. Nothing loads until the camera is opened.
(function () {
  "use strict";
  if (window.zdScan) return;

  var VENDOR = "/vendor/barcode-detector/";
  var detector = null;
  var running = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function nativeReadsQr() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(false);
    return window.BarcodeDetector.getSupportedFormats()
      .then(function (formats) { return formats.indexOf("qr_code") >= 0; })
      .catch(function () { return false; });
  }

  function getDetector() {
    if (!detector) {
      detector = nativeReadsQr().then(function (native) {
        if (native) return new window.BarcodeDetector({ formats: ["qr_code"] });
        return loadScript(VENDOR + "ponyfill.js").then(function () {
          var api = window.BarcodeDetectionAPI;
          api.prepareZXingModule({
            overrides: {
              locateFile: function (path, prefix) {
                return path.endsWith(".wasm") ? VENDOR + path : prefix + path;
              },
            },
          });
          return new api.BarcodeDetector({ formats: ["qr_code"] });
        });
      });
      detector.catch(function () { detector = null; });
    }
    return detector;
  }

  function stop() {
    if (!running) return;
    running.stopped = true;
    running.stream && running.stream.getTracks().forEach(function (t) { t.stop(); });
    running.panel.hidden = true;
    running.button.setAttribute("aria-expanded", "false");
    running = null;
  }

  function start(button) {
    stop();
    var target = button.getAttribute("data-zd-scan");
    var input = target === "@go" ? null : document.getElementById(target);
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if ((!input && target !== "@go") || !panel) return;
    var video = panel.querySelector("video");
    var status = panel.querySelector("[data-zd-scan-status]");
    var scan = { button: button, panel: panel, stream: null, stopped: false };
    running = scan;
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = button.getAttribute("data-zd-scan-unsupported");
      return;
    }
    Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
      getDetector(),
    ]).then(function (ready) {
      scan.stream = ready[0];
      if (scan.stopped) return stop();
      video.srcObject = scan.stream;
      return video.play().then(function () { look(scan, ready[1], video, input); });
    }).catch(function (error) {
      if (scan.stopped) return;
      var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      status.textContent = button.getAttribute(denied ? "data-zd-scan-denied" : "data-zd-scan-unsupported");
      scan.stream && scan.stream.getTracks().forEach(function (t) { t.stop(); });
    });
  }

  // Looks at a frame every 200 ms until a code is read or the scanner is closed.
  function look(scan, detector, video, input) {
    if (scan.stopped) return;
    detector.detect(video).then(function (codes) {
      if (scan.stopped) return;
      if (codes.length === 0) return setTimeout(function () { look(scan, detector, video, input); }, 200);
      if (!input) return go(scan, codes[0].rawValue, function () { look(scan, detector, video, input); });
      input.value = codes[0].rawValue;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      stop();
      if (input.form) input.form.requestSubmit();
    }).catch(function () {
      setTimeout(function () { look(scan, detector, video, input); }, 500);
    });
  }

  // Opens a link of this site that was read; anything else is not ours and scanning goes on.
  function go(scan, text, again) {
    var url;
    try { url = new URL(text, location.href); } catch (e) { url = null; }
    if (url && url.origin === location.origin) {
      stop();
      location.assign(url.href);
    } else {
      setTimeout(again, 500);
    }
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) return;
    var open = target.closest("[data-zd-scan]");
    if (open) {
      ev.preventDefault();
      start(open);
      return;
    }
    if (target.closest("[data-zd-scan-stop]")) {
      ev.preventDefault();
      stop();
    }
  });
  // Leaving the page (or the console re-rendering the panel away) frees the camera.
  window.addEventListener("pagehide", stop);

  window.zdScan = { stop: stop };
})();
