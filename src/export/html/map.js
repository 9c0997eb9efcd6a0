// sigmap interactive map. Hand-written, no library: the page must work offline from
// file:// with no request, and this is all it needs (see src/export/html/mod.rs).
// Colours and legends come classified from Rust in the JSON; this only looks them up.
(function () {
  'use strict';

  var LISA = {
    'High-High': 'High-High: a hot spot',
    'Low-Low': 'Low-Low: a cold spot',
    'High-Low': 'High-Low: high among low',
    'Low-High': 'Low-High: low among high',
    'Not significant': 'Not significant',
    'Isolated': 'No neighbours (not tested)'
  };

  // "Ynys Môn" and "ynys mon" fold to the same text: accents stripped (NFD, then the
  // combining marks removed), case folded, punctuation to spaces.
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ').trim();
  }

  function int(v) {
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  // as the legend: no decimals from 100, one from 10, else two
  function dec(v) {
    var a = Math.abs(v);
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  function init(root) {
    root.setAttribute('data-ready', '');
    var data = JSON.parse(root.querySelector('.sm-data').textContent);
    var S = data.seats;
    var n = data.n;
    var byCode = {};
    var i;
    for (i = 0; i < n; i++) byCode[S.code[i]] = i;
    var folded = S.name.map(fold);
    var layers = {};
    data.layers.forEach(function (l) { layers[l.key] = l; });
    var layer = layers[data.initial] || data.layers[0];
    var stage = root.querySelector('.sm-stage');
    var tip = root.querySelector('.sm-tip');
    var status = root.querySelector('.sm-status');
    var views = {};
    var view = null;
    var selected = null; // the seat with the keyboard focus (or last tapped)
    var pointerAt = null; // where a tap focused a seat, for the tooltip

    function value(col, k) {
      return S[col] ? S[col][k] : null;
    }

    function facts(k) {
      var out = [];
      var mp = value('mp', k);
      var party = value('party', k);
      out.push(['Signatures', int(S.signatures[k]) + (value('zero_filled', k) ? ' (not listed by the petition)' : '')]);
      out.push(['Per 1,000 voters', dec(S.per_1k_voters[k]) + ' (95% interval ' +
        dec(S.ci95_low_per_1k_voters[k]) + '–' + dec(S.ci95_high_per_1k_voters[k]) + ')']);
      out.push(['Per 1,000 electors', dec(S.per_1k_electors[k]) + ' (95% interval ' +
        dec(S.ci95_low_per_1k_electors[k]) + '–' + dec(S.ci95_high_per_1k_electors[k]) + ')']);
      var rank = S.rank_per_1k_voters[k] + ' of ' + n;
      var lo = value('rank_best_per_1k_voters', k);
      var hi = value('rank_worst_per_1k_voters', k);
      if (lo !== null && hi !== null) rank += ', plausibly ' + (lo === hi ? lo : lo + '–' + hi);
      out.push(['Rank per 1,000 voters', rank]);
      var lisa = value('lisa_label', k);
      if (lisa) out.push(['Local Moran', LISA[lisa] || lisa]);
      var ratio = value('obs_exp', k);
      if (ratio !== null) {
        var flag = value('unusual', k);
        out.push(['Support', (flag ? 'Unusually ' + flag : 'Not unusual') + ' (' + ratio.toFixed(2) + '× expected)']);
      }
      if (mp) out.push(['MP', mp]);
      if (party) out.push([data.election ? 'Won at ' + data.election + ' by' : 'Won by', party]);
      return out;
    }

    function describe(k) {
      return S.name[k] + ': ' + int(S.signatures[k]) + ' signatures, ' + dec(S.per_1k_voters[k]) +
        ' per 1,000 voters, rank ' + S.rank_per_1k_voters[k] + ' of ' + n;
    }

    // -- the views (map, hex map) and their viewBox -------------------------------------
    Array.prototype.forEach.call(root.querySelectorAll('svg.sm-svg'), function (svg) {
      var box = svg.getAttribute('viewBox').split(/[ ,]+/).map(Number);
      var v = {
        svg: svg,
        key: svg.getAttribute('data-view'),
        hl: svg.querySelector('.sm-hl'),
        paths: [],
        byIndex: {},
        centres: null,
        base: { x: box[0], y: box[1], w: box[2], h: box[3] },
        vb: { x: box[0], y: box[1], w: box[2], h: box[3] }
      };
      Array.prototype.forEach.call(svg.querySelectorAll('.sm-seats path'), function (p) {
        var k = byCode[p.getAttribute('data-code')];
        if (k === undefined) return;
        p.smIndex = k;
        v.paths.push(p);
        v.byIndex[k] = p;
        p.setAttribute('aria-label', describe(k));
      });
      views[v.key] = v;
      wire(v);
    });
    view = views.geo || views.hex;

    function apply(v) {
      v.svg.setAttribute('viewBox', [v.vb.x, v.vb.y, v.vb.w, v.vb.h].map(function (x) {
        return Math.round(x * 10) / 10;
      }).join(' '));
    }

    function toSvg(v, cx, cy) {
      var m = v.svg.getScreenCTM();
      if (!m) return { x: v.vb.x + v.vb.w / 2, y: v.vb.y + v.vb.h / 2 };
      var p = v.svg.createSVGPoint();
      p.x = cx;
      p.y = cy;
      return p.matrixTransform(m.inverse());
    }

    function keepInside(v) {
      var b = v.base;
      var vb = v.vb;
      var cx = clamp(vb.x + vb.w / 2, b.x, b.x + b.w);
      var cy = clamp(vb.y + vb.h / 2, b.y, b.y + b.h);
      vb.x = cx - vb.w / 2;
      vb.y = cy - vb.h / 2;
    }

    // zoom by `f` keeping the point at svg coordinates (px, py) in place
    function zoomBy(v, f, px, py) {
      var b = v.base;
      var vb = v.vb;
      var w = clamp(vb.w / f, b.w / 80, b.w);
      f = vb.w / w;
      if (px === undefined) {
        px = vb.x + vb.w / 2;
        py = vb.y + vb.h / 2;
      }
      vb.x = px - (px - vb.x) / f;
      vb.y = py - (py - vb.y) / f;
      vb.w = w;
      vb.h = w * b.h / b.w;
      keepInside(v);
      apply(v);
    }

    function zoomAtClient(v, f, cx, cy) {
      var p = toSvg(v, cx, cy);
      zoomBy(v, f, p.x, p.y);
    }

    function panClient(v, dx, dy) {
      var m = v.svg.getScreenCTM();
      if (!m || !m.a) return;
      v.vb.x -= dx / m.a;
      v.vb.y -= dy / m.d;
      keepInside(v);
      apply(v);
    }

    function reset(v) {
      v.vb = { x: v.base.x, y: v.base.y, w: v.base.w, h: v.base.h };
      apply(v);
    }

    function zoomTo(v, p) {
      var bb = p.getBBox();
      var b = v.base;
      var w = clamp(Math.max(bb.width, bb.height * b.w / b.h) * 4, b.w / 80, b.w);
      var h = w * b.h / b.w;
      // on a phone the tooltip is docked over the lower part of the map: the seat goes
      // in the upper part
      var docked = window.matchMedia && window.matchMedia('(max-width: 760px)').matches;
      var cy = bb.y + bb.height / 2 + (docked ? h / 4 : 0);
      v.vb = { x: bb.x + bb.width / 2 - w / 2, y: cy - h / 2, w: w, h: h };
      keepInside(v);
      apply(v);
    }

    // make sure a seat is in view, panning (not zooming) if it is not
    function reveal(v, p) {
      var bb = p.getBBox();
      var cx = bb.x + bb.width / 2;
      var cy = bb.y + bb.height / 2;
      var vb = v.vb;
      if (cx < vb.x || cx > vb.x + vb.w || cy < vb.y || cy > vb.y + vb.h) {
        vb.x = cx - vb.w / 2;
        vb.y = cy - vb.h / 2;
        keepInside(v);
        apply(v);
      }
    }

    // -- the tooltip ----------------------------------------------------------------------
    function fillTip(k) {
      tip.textContent = '';
      var h = el('h3', null, S.name[k]);
      h.appendChild(el('span', 'sm-code', ' ' + S.code[k]));
      tip.appendChild(h);
      var ul = el('ul');
      facts(k).forEach(function (f) {
        var li = el('li');
        li.appendChild(el('span', 'sm-key', f[0] + ': '));
        li.appendChild(document.createTextNode(f[1]));
        ul.appendChild(li);
      });
      tip.appendChild(ul);
      tip.setAttribute('data-code', S.code[k]);
    }

    function placeTip(cx, cy) {
      var sr = stage.getBoundingClientRect();
      tip.hidden = false;
      var tw = tip.offsetWidth;
      var th = tip.offsetHeight;
      var x = cx - sr.left + 16;
      var y = cy - sr.top + 16;
      if (x + tw > sr.width - 6) x = cx - sr.left - tw - 16;
      if (y + th > sr.height - 6) y = cy - sr.top - th - 16;
      tip.style.left = Math.round(clamp(x, 6, Math.max(6, sr.width - tw - 6))) + 'px';
      tip.style.top = Math.round(clamp(y, 6, Math.max(6, sr.height - th - 6))) + 'px';
    }

    function showAtPointer(k, cx, cy) {
      fillTip(k);
      placeTip(cx, cy);
    }

    function showAtSeat(k) {
      var p = view.byIndex[k];
      if (!p) return;
      fillTip(k);
      var r = p.getBoundingClientRect();
      var sr = stage.getBoundingClientRect();
      placeTip(clamp(r.right, sr.left, sr.right), clamp(r.top + r.height / 2, sr.top, sr.bottom));
    }

    function highlight(p) {
      view.hl.setAttribute('d', p ? p.getAttribute('d') : '');
    }

    function restore() {
      if (selected !== null && view.byIndex[selected]) {
        highlight(view.byIndex[selected]);
        showAtSeat(selected);
      } else {
        highlight(null);
        tip.hidden = true;
      }
    }

    // -- keyboard: a roving tabindex over the seats ---------------------------------------
    function centres(v) {
      if (!v.centres) {
        v.centres = v.paths.map(function (p) {
          var bb = p.getBBox();
          return { p: p, x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 };
        });
      }
      return v.centres;
    }

    function focusSeat(v, p) {
      v.paths.forEach(function (q) {
        if (q !== p && q.getAttribute('tabindex') === '0') q.setAttribute('tabindex', '-1');
      });
      p.setAttribute('tabindex', '0');
      p.focus({ preventScroll: true });
    }

    function step(v, from, dx, dy) {
      var cs = centres(v);
      var a = null;
      cs.forEach(function (c) { if (c.p === from) a = c; });
      if (!a) return;
      var best = null;
      var score = Infinity;
      cs.forEach(function (c) {
        if (c === a) return;
        var along = (c.x - a.x) * dx + (c.y - a.y) * dy;
        if (along <= 0) return;
        var across = Math.abs((c.x - a.x) * dy - (c.y - a.y) * dx);
        var s = along + 2 * across;
        if (s < score) {
          score = s;
          best = c.p;
        }
      });
      if (best) {
        reveal(v, best);
        focusSeat(v, best);
      }
    }

    // -- events on each view --------------------------------------------------------------
    function wire(v) {
      var svg = v.svg;
      var pointers = {};
      var start = null;
      var moved = false;
      var downOn = null;

      // a press must not focus the seat under it: a drag is not a choice (a tap is, below)
      svg.addEventListener('mousedown', function (e) { e.preventDefault(); });

      svg.addEventListener('pointerdown', function (e) {
        if (e.pointerType === 'mouse' && e.button !== 0) return;
        pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
        if (Object.keys(pointers).length === 1) {
          start = { x: e.clientX, y: e.clientY };
          moved = false;
          downOn = e.target;
        }
        try { svg.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
      });

      svg.addEventListener('pointermove', function (e) {
        var p = pointers[e.pointerId];
        if (!p) {
          var t = e.target;
          if (t.smIndex !== undefined) {
            highlight(t);
            showAtPointer(t.smIndex, e.clientX, e.clientY);
          } else {
            restore();
          }
          return;
        }
        var ids = Object.keys(pointers);
        if (ids.length === 1) {
          if (!moved && Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) < 6) return;
          if (!moved) {
            moved = true;
            svg.classList.add('sm-dragging');
            tip.hidden = true;
          }
          panClient(v, e.clientX - p.x, e.clientY - p.y);
        } else if (ids.length === 2) {
          var o = pointers[ids[0] === String(e.pointerId) ? ids[1] : ids[0]];
          var d0 = Math.hypot(p.x - o.x, p.y - o.y);
          var d1 = Math.hypot(e.clientX - o.x, e.clientY - o.y);
          moved = true;
          if (d0 > 0 && d1 > 0) zoomAtClient(v, d1 / d0, (e.clientX + o.x) / 2, (e.clientY + o.y) / 2);
        }
        p.x = e.clientX;
        p.y = e.clientY;
      });

      function up(e) {
        if (!pointers[e.pointerId]) return;
        delete pointers[e.pointerId];
        if (Object.keys(pointers).length) return;
        svg.classList.remove('sm-dragging');
        if (!moved && e.type === 'pointerup' && downOn && downOn.smIndex !== undefined) {
          pointerAt = { x: e.clientX, y: e.clientY };
          focusSeat(v, downOn);
          pointerAt = null;
        } else if (moved) {
          restore();
        }
      }
      svg.addEventListener('pointerup', up);
      svg.addEventListener('pointercancel', up);

      svg.addEventListener('pointerleave', function (e) {
        if (e.pointerType === 'mouse' && !pointers[e.pointerId]) restore();
      });

      svg.addEventListener('wheel', function (e) {
        e.preventDefault();
        var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
        zoomAtClient(v, Math.pow(1.0015, -clamp(dy, -300, 300)), e.clientX, e.clientY);
      }, { passive: false });

      svg.addEventListener('focusin', function (e) {
        var t = e.target;
        if (t.smIndex === undefined) return;
        selected = t.smIndex;
        highlight(t);
        if (pointerAt) showAtPointer(t.smIndex, pointerAt.x, pointerAt.y);
        else showAtSeat(t.smIndex);
      });

      svg.addEventListener('focusout', function (e) {
        if (!svg.contains(e.relatedTarget)) {
          selected = null;
          restore();
        }
      });

      svg.addEventListener('keydown', function (e) {
        var t = e.target;
        var onSeat = t.smIndex !== undefined;
        var dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
        var d = dirs[e.key];
        if (d) {
          e.preventDefault();
          if (onSeat && !e.shiftKey) step(v, t, d[0], d[1]);
          else panClient(v, -d[0] * svg.clientWidth / 5, -d[1] * svg.clientHeight / 5);
          return;
        }
        var centre;
        if (onSeat) {
          var bb = t.getBBox();
          centre = [bb.x + bb.width / 2, bb.y + bb.height / 2];
        } else {
          centre = [undefined, undefined];
        }
        if (e.key === '+' || e.key === '=') {
          e.preventDefault();
          zoomBy(v, 1.5, centre[0], centre[1]);
        } else if (e.key === '-' || e.key === '_') {
          e.preventDefault();
          zoomBy(v, 1 / 1.5, centre[0], centre[1]);
        } else if (e.key === '0') {
          e.preventDefault();
          reset(v);
        } else if ((e.key === 'Enter' || e.key === ' ') && onSeat) {
          e.preventDefault();
          zoomTo(v, t);
        } else if (e.key === 'Escape') {
          tip.hidden = true;
          highlight(null);
        } else {
          return;
        }
        if (onSeat) showAtSeat(t.smIndex);
      });
    }

    // -- the metric switch and the legend -------------------------------------------------
    var legendTitle = root.querySelector('.sm-legend-title');
    var legendList = root.querySelector('.sm-classes');
    var legendNote = root.querySelector('.sm-note');

    function recolour() {
      Object.keys(views).forEach(function (key) {
        views[key].paths.forEach(function (p) {
          p.setAttribute('fill', layer.colours[layer.fill[p.smIndex]]);
        });
      });
      legendTitle.textContent = layer.title;
      legendList.textContent = '';
      layer.legend.forEach(function (c) {
        var li = el('li');
        var sw = el('span', 'sm-swatch');
        var colour = layer.colours[c[0]];
        if (colour.indexOf('url(') === 0) sw.className += ' sm-hatch';
        else sw.style.background = colour;
        li.appendChild(sw);
        li.appendChild(document.createTextNode(c[1] + ' '));
        li.appendChild(el('span', 'sm-count', '(' + c[2] + ')'));
        legendList.appendChild(li);
      });
      legendNote.textContent = layer.note.split('\n').join('. ');
    }

    var select = root.querySelector('.sm-metric');
    if (select) {
      select.addEventListener('change', function () {
        if (layers[select.value]) {
          layer = layers[select.value];
          recolour();
          status.textContent = 'Coloured by ' + layer.label;
        }
      });
    }

    // -- map or hex map -------------------------------------------------------------------
    Array.prototype.forEach.call(root.querySelectorAll('.sm-view'), function (b) {
      b.addEventListener('click', function () {
        var next = views[b.getAttribute('data-view')];
        if (!next || next === view) return;
        // `hidden` is an attribute of SVG elements, not a property as on HTML ones
        view.svg.setAttribute('hidden', '');
        highlight(null);
        view = next;
        view.svg.removeAttribute('hidden');
        Array.prototype.forEach.call(root.querySelectorAll('.sm-view'), function (o) {
          o.setAttribute('aria-pressed', o === b ? 'true' : 'false');
        });
        tip.hidden = true;
        selected = null;
        status.textContent = next.key === 'hex' ? 'Hex map: one hexagon per constituency' : 'Map of the constituencies';
      });
    });

    Array.prototype.forEach.call(root.querySelectorAll('[data-zoom]'), function (b) {
      b.addEventListener('click', function () {
        var what = b.getAttribute('data-zoom');
        if (what === 'in') zoomBy(view, 1.5);
        else if (what === 'out') zoomBy(view, 1 / 1.5);
        else reset(view);
        if (selected !== null) restore();
      });
    });

    // -- search ---------------------------------------------------------------------------
    var q = root.querySelector('.sm-q');
    var list = root.querySelector('.sm-results');
    var matches = [];
    var active = -1;

    function setActive(a) {
      active = a;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute('aria-selected', j === a ? 'true' : 'false');
        if (j === a) q.setAttribute('aria-activedescendant', li.id);
      });
      if (a < 0) q.removeAttribute('aria-activedescendant');
    }

    function close() {
      list.hidden = true;
      list.textContent = '';
      matches = [];
      q.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function search() {
      var t = fold(q.value);
      var first = [];
      var rest = [];
      if (t) {
        var code = q.value.trim().toUpperCase();
        for (var k = 0; k < n; k++) {
          var f = folded[k];
          if (f.indexOf(t) === 0 || S.code[k] === code) first.push(k);
          else if ((' ' + f).indexOf(' ' + t) >= 0) rest.push(k);
          else if (t.length > 2 && f.indexOf(t) > 0) rest.push(k);
        }
      }
      var byName = function (a, b) { return folded[a] < folded[b] ? -1 : folded[a] > folded[b] ? 1 : 0; };
      matches = first.sort(byName).concat(rest.sort(byName)).slice(0, 10);
      list.textContent = '';
      matches.forEach(function (k, j) {
        var li = el('li', null, S.name[k]);
        li.id = root.id + '-opt-' + j;
        li.setAttribute('role', 'option');
        li.appendChild(el('span', 'sm-code', S.code[k]));
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { choose(k); });
        list.appendChild(li);
      });
      list.hidden = !matches.length;
      q.setAttribute('aria-expanded', matches.length ? 'true' : 'false');
      setActive(matches.length ? 0 : -1);
      status.textContent = t ? (matches.length ? matches.length + ' matching constituencies' : 'No constituency matches') : '';
    }

    function choose(k) {
      close();
      q.value = S.name[k];
      show(k);
    }

    // zoom to a seat, give it the focus and show its tooltip
    function show(k) {
      var p = view.byIndex[k];
      if (!p) {
        status.textContent = S.name[k] + ' is not drawn on this view';
        return;
      }
      zoomTo(view, p);
      focusSeat(view, p);
      status.textContent = S.name[k] + ' shown on the map';
    }

    q.addEventListener('input', search);
    q.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && matches.length) {
        e.preventDefault();
        setActive((active + 1) % matches.length);
      } else if (e.key === 'ArrowUp' && matches.length) {
        e.preventDefault();
        setActive((active - 1 + matches.length) % matches.length);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (!matches.length) search();
        if (matches.length) choose(matches[Math.max(active, 0)]);
      } else if (e.key === 'Escape') {
        close();
      }
    });
    // close the list once the focus has left the box (not if it came back meanwhile)
    q.addEventListener('blur', function () {
      setTimeout(function () { if (document.activeElement !== q) close(); }, 150);
    });

    // buttons naming a seat elsewhere on the page (the tables, after this script) show
    // it on the first map
    if (!document.querySelector('[data-sigmap-map][data-tables]')) {
      root.setAttribute('data-tables', '');
      document.addEventListener('click', function (e) {
        var b = e.target.closest ? e.target.closest('.sm-find[data-seat]') : null;
        if (!b) return;
        var k = byCode[b.getAttribute('data-seat')];
        if (k === undefined) return;
        stage.scrollIntoView({ block: 'center' });
        show(k);
      });
    }

    // a link to page.html#E14001234 opens on that seat
    var hash = decodeURIComponent(location.hash.slice(1));
    if (byCode[hash] !== undefined) show(byCode[hash]);
  }

  var roots = document.querySelectorAll('[data-sigmap-map]');
  for (var r = 0; r < roots.length; r++) {
    if (!roots[r].hasAttribute('data-ready')) init(roots[r]);
  }
})();
