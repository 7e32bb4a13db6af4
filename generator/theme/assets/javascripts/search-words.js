/* Search finds pages by the words people type (issue 14).
 *
 * Material's search adds a trailing wildcard to every word of a query before lunr sees it, and a
 * word with a wildcard skips lunr's stop-word filter. So "pupil follows me" also asks for every
 * word starting with "me" (media, message, meeting…) and "on" for online, only, one…: short common
 * words outweighed the words that say what the reader wants. And a whole word typed counted no more
 * than a longer word it starts ("bully" as much as "bullying").
 *
 * This wraps the search worker's methods (the native Worker's, or those of the offline bundle's
 * iframe shim, which is loaded earlier) and rewrites each query on its way to it, before
 * Material's own handling:
 *   - stop words (lunr's English list, the one the index was built with) are left out, unless the
 *     query has nothing else;
 *   - every other word is sent twice: as typed, boosted (a whole-word match), and as itself (which
 *     Material still completes with a wildcard, so results keep appearing while a word is typed).
 * A query that uses lunr's own syntax (quotes, +, -, ~, ^, *, field:) is sent as typed.
 * The query box shows what was typed; nothing leaves the browser (the worker is this site's file).
 */
(function () {
  "use strict";
  var QUERY = 2, RESULT = 3; // Material 9's SearchMessageType (integrations/search/worker/message)
  var WHOLE_WORD_BOOST = 3;
  // lunr 2.3.9's lunr.stopWordFilter list (the index is built with it: config.pipeline).
  var STOP_WORDS = ("a able about across after all almost also am among an and any are as at be because been but by " +
    "can cannot could dear did do does either else ever every for from get got had has have he her hers him his how " +
    "however i if in into is it its just least let like likely may me might most must my neither no nor not of off " +
    "often on only or other our own rather said say says she should since so some than that the their them then " +
    "there these they this tis to too twas us wants was we were what when where which while who whom why will with " +
    "would yet you your").split(" ");
  var SYNTAX = /["~^*:]|(^|\s)[+-]/;

  function rewrite(query) {
    if (typeof query !== "string" || SYNTAX.test(query)) {
      return query;
    }
    var words = query.trim().split(/\s+/).filter(function (word) {
      return word && STOP_WORDS.indexOf(word.toLowerCase().replace(/[^a-z]/g, "")) === -1;
    });
    if (!words.length) {
      return query;
    }
    return words.map(function (word) {
      return word + "^" + WHOLE_WORD_BOOST + " " + word;
    }).join(" ");
  }

  // Results that match every word typed come before results that match some of them: each result's
  // score is multiplied by the share of the query's words it matched, squared (Material already
  // weighs that share, but less than whether the result is a page or a section of one).
  function rank(result) {
    if (!result || !Array.isArray(result.items)) {
      return result;
    }
    function score(item) {
      var terms = Object.keys(item.terms || {});
      if (!terms.length) {
        return 0;
      }
      var found = terms.filter(function (term) { return item.terms[term]; }).length / terms.length;
      return item.score * found * found;
    }
    var groups = result.items.map(function (items, index) {
      return { items: items, index: index, best: Math.max.apply(null, items.map(score)) };
    });
    groups.sort(function (a, b) { return b.best - a.best || a.index - b.index; });
    var ranked = {};
    for (var key in result) {
      ranked[key] = result[key];
    }
    ranked.items = groups.map(function (group) { return group.items; });
    return ranked;
  }

  var root = typeof window !== "undefined" ? window : globalThis;
  root.policySearch = { query: rewrite, rank: rank }; // also read by the search-quality harness
  var Base = root.Worker;
  if (typeof Base !== "function") {
    return;
  }

  // The worker's methods, wrapped: queries out rewritten, results in re-ranked.
  var wrapped = new WeakMap();
  function methods(post, listen, unlisten) {
    return {
      postMessage: function (message) {
        var args = Array.prototype.slice.call(arguments);
        if (message && message.type === QUERY && typeof message.data === "string") {
          args[0] = { type: QUERY, data: rewrite(message.data) };
        }
        return post.apply(this, args);
      },
      addEventListener: function (type, listener, options) {
        if (type !== "message" || typeof listener !== "function") {
          return listen.apply(this, arguments);
        }
        var inner = wrapped.get(listener);
        if (!inner) {
          inner = function (event) {
            if (event && event.data && event.data.type === RESULT) {
              event = new MessageEvent("message", { data: { type: RESULT, data: rank(event.data.data) } });
            }
            return listener.call(this, event);
          };
          wrapped.set(listener, inner);
        }
        return listen.call(this, type, inner, options);
      },
      removeEventListener: function (type, listener, options) {
        return unlisten.call(this, type, (listener && wrapped.get(listener)) || listener, options);
      }
    };
  }

  if (/\[native code\]/.test(String(Base))) {
    // The browser's own Worker stays window.Worker (the offline shim's test relies on it): its
    // prototype's methods are wrapped. Material's search worker is the only worker on these pages.
    var own = methods(Base.prototype.postMessage, Base.prototype.addEventListener,
                      Base.prototype.removeEventListener);
    Base.prototype.postMessage = own.postMessage;
    Base.prototype.addEventListener = own.addEventListener;
    Base.prototype.removeEventListener = own.removeEventListener;
    return;
  }
  // The offline bundle's iframe shim (file://) gives each worker its own methods: wrap each search worker's.
  root.Worker = function SearchWorker(url, options) {
    var worker = options === undefined ? new Base(url) : new Base(url, options);
    if (/\/workers\/search\.[^/]*\.js$/.test(String(url))) {
      var own = methods(worker.postMessage, worker.addEventListener, worker.removeEventListener);
      worker.postMessage = own.postMessage;
      worker.addEventListener = own.addEventListener;
      worker.removeEventListener = own.removeEventListener;
    }
    return worker;
  };
})();
