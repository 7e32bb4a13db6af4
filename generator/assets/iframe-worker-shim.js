/* Lets Material for MkDocs' search run when the site is opened from a folder (file://).
 *
 * Browsers refuse to start a Web Worker from a file:// page, and Material's search runs in one.
 * Under file:// this replaces `Worker` with one that runs the worker script in a hidden iframe,
 * talking to it over a MessageChannel; `importScripts` becomes a promise that adds script tags
 * (Material's search worker awaits it). Elsewhere (http/https) it does nothing.
 *
 * The offline plugin would otherwise load the same kind of shim from unpkg.com, which a school
 * shared drive with no internet access cannot reach. Written for this project (the approach is
 * that of squidfunk/iframe-worker, MIT).
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof MessageChannel === "undefined") {
    return;
  }

  // Runs first inside the iframe. `postMessage` is replaced only once the port has arrived: until
  // then the parent's own postMessage (which delivers the port) must reach the native one.
  var glue = function () {
    window.addEventListener("message", function (event) {
      if (event.data !== "__iframe_worker_port__" || !event.ports.length) {
        return;
      }
      event.stopImmediatePropagation();
      var port = event.ports[0];
      window.postMessage = function (data) {
        port.postMessage(data);
      };
      port.onmessage = function (message) {
        window.dispatchEvent(new MessageEvent("message", { data: message.data }));
      };
    }, true);
    window.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (previous, url) {
        return previous.then(function () {
          return new Promise(function (resolve, reject) {
            var script = document.createElement("script");
            script.src = url;
            script.onload = function () { resolve(); };
            script.onerror = function () { reject(new Error("importScripts: cannot load " + url)); };
            document.head.appendChild(script);
          });
        });
      }, Promise.resolve());
    };
  };

  function IframeWorker(url) {
    var target = document.createDocumentFragment();
    var self = this;
    var channel = new MessageChannel();
    var queue = [];
    var ready = false;
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    channel.port1.onmessage = function (message) {
      var event = new MessageEvent("message", { data: message.data });
      if (typeof self.onmessage === "function") {
        self.onmessage(event);
      }
      target.dispatchEvent(event);
    };

    var source = new URL(url, document.baseURI).href;
    var iframe = document.createElement("iframe");
    iframe.setAttribute("aria-hidden", "true");
    iframe.setAttribute("tabindex", "-1");
    iframe.setAttribute("title", "Search worker");
    iframe.style.display = "none";
    iframe.srcdoc =
      "<!doctype html><html><head><meta charset=\"utf-8\"><script>(" + glue.toString() + ")();<\/script>" +
      "<script src=\"" + source.replace(/"/g, "&quot;") + "\"><\/script></head><body></body></html>";
    iframe.addEventListener("load", function () {
      iframe.contentWindow.postMessage("__iframe_worker_port__", "*", [channel.port2]);
      ready = true;
      queue.forEach(function (data) { channel.port1.postMessage(data); });
      queue = [];
    });
    iframe.addEventListener("error", function (event) {
      if (typeof self.onerror === "function") {
        self.onerror(event);
      }
      target.dispatchEvent(new Event("error"));
    });
    this.postMessage = function (data) {
      if (ready) {
        channel.port1.postMessage(data);
      } else {
        queue.push(data);
      }
    };
    this.terminate = function () {
      channel.port1.close();
      if (iframe.parentNode) {
        iframe.parentNode.removeChild(iframe);
      }
    };
    (document.body || document.documentElement).appendChild(iframe);
  }

  window.Worker = IframeWorker;
})();
