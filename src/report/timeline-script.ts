/**
 * The timeline's behaviour in report.html: zoom and pan change the viewBox of the nested
 * `.tl-plot` svg (time runs down), the axis is redrawn for the visible span, a click shows the
 * op's tooltip text in a <pre> (as text, never markup), and the view opens at the evidence
 * (`data-focus`). Plain ES2020 for the browser; markup it reads comes from timeline.ts.
 */
export const TIMELINE_SCRIPT = `(() => {
  const NS = "http://www.w3.org/2000/svg";
  for (const tl of document.querySelectorAll(".tl")) {
    const plot = tl.querySelector(".tl-plot");
    const axis = tl.querySelector(".tl-axis");
    const detail = tl.querySelector(".tl-detail");
    const range = Number(tl.dataset.range);
    const height = Number(tl.dataset.plotHeight);
    const top = Number(tl.dataset.top);
    const left = Number(tl.dataset.axis);
    const width = plot.viewBox.baseVal.width;
    let y0 = 0;
    let y1 = range;
    const drawAxis = () => {
      axis.replaceChildren();
      const span = y1 - y0;
      const raw = span / 8;
      const magnitude = 10 ** Math.floor(Math.log10(raw));
      const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
      const digits = Math.max(0, -Math.floor(Math.log10(step)));
      for (let k = Math.ceil(y0 / step); k * step <= y1; k++) {
        const y = top + ((k * step - y0) / span) * height;
        const tick = document.createElementNS(NS, "line");
        tick.setAttribute("x1", String(left - 5));
        tick.setAttribute("x2", String(left));
        tick.setAttribute("y1", String(y));
        tick.setAttribute("y2", String(y));
        tick.setAttribute("stroke", "#59636e");
        const label = document.createElementNS(NS, "text");
        label.setAttribute("x", String(left - 8));
        label.setAttribute("y", String(y + 4));
        label.setAttribute("text-anchor", "end");
        label.textContent = (k * step).toFixed(digits);
        axis.append(tick, label);
      }
    };
    const show = (from, to) => {
      const span = Math.min(Math.max(to - from, range / 1e6), range);
      y0 = Math.min(Math.max(from, 0), range - span);
      y1 = y0 + span;
      plot.setAttribute("viewBox", "0 " + y0 + " " + width + " " + span);
      tl.dataset.view = y0 + "," + y1;
      drawAxis();
    };
    const zoom = (factor, centre) => show(centre - (centre - y0) * factor, centre + (y1 - centre) * factor);
    const at = (clientY) => {
      const box = plot.getBoundingClientRect();
      return y0 + ((clientY - box.top) / box.height) * (y1 - y0);
    };
    const focus = tl.dataset.focus ? tl.dataset.focus.split(",").map(Number) : undefined;
    tl.querySelector(".tl-svg").addEventListener("wheel", (event) => {
      if (event.ctrlKey) {
        event.preventDefault();
        zoom(event.deltaY > 0 ? 1.25 : 0.8, at(event.clientY));
        return;
      }
      const down = event.deltaY > 0;
      if ((down && y1 >= range) || (!down && y0 <= 0)) return; // at an end: let the page scroll
      event.preventDefault();
      const pixels = event.deltaY * (event.deltaMode === 1 ? 16 : 1);
      const shift = (pixels / height) * (y1 - y0);
      show(y0 + shift, y1 + shift);
    }, { passive: false });
    let drag;
    plot.addEventListener("pointerdown", (event) => {
      drag = { y: event.clientY, y0, y1, moved: false };
      plot.setPointerCapture(event.pointerId);
    });
    plot.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const pixels = drag.y - event.clientY;
      if (Math.abs(pixels) > 3) drag.moved = true;
      const shift = (pixels / height) * (drag.y1 - drag.y0);
      show(drag.y0 + shift, drag.y1 + shift);
    });
    plot.addEventListener("pointerup", (event) => {
      const moved = drag && drag.moved;
      drag = undefined;
      if (moved) return;
      const target = document.elementFromPoint(event.clientX, event.clientY);
      const box = target && (target.closest("rect.tl-op") || target.closest("rect.fault-window"));
      if (box) detail.textContent = box.querySelector("title").textContent;
    });
    tl.querySelector(".tl-controls").addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const mid = (y0 + y1) / 2;
      if (button.dataset.zoom === "in") zoom(0.5, mid);
      else if (button.dataset.zoom === "out") zoom(2, mid);
      else if (button.dataset.zoom === "fit") show(0, range);
      else if (button.dataset.zoom === "focus" && focus) show(focus[0], focus[1]);
    });
    // Links elsewhere in the page (a part's culprit) open the timeline at their operations.
    for (const link of document.querySelectorAll("a[data-tl-ids]")) {
      link.addEventListener("click", () => {
        const boxes = link.dataset.tlIds.split(" ").map((id) => plot.querySelector('rect.tl-op[data-id="' + id + '"]')).filter(Boolean);
        if (boxes.length === 0) return;
        const from = Math.min(...boxes.map((b) => Number(b.getAttribute("y"))));
        const to = Math.max(...boxes.map((b) => Number(b.getAttribute("y")) + Number(b.getAttribute("height"))));
        const pad = Math.max((to - from) * 0.5, range / 200);
        show(from - pad, to + pad);
        for (const b of boxes) detail.textContent = b.querySelector("title").textContent;
      });
    }
    if (focus) show(focus[0], focus[1]);
    else show(0, range);
  }
})();`;

export const TIMELINE_STYLE = `
.tl-scroll { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; }
.tl-plot { cursor: grab; touch-action: none; }
.tl-controls { display: flex; gap: .4rem; align-items: center; margin: .4rem 0; flex-wrap: wrap; }
.tl-hint { color: #59636e; font-size: .85rem; }
.tl-detail { max-height: 12rem; white-space: pre-wrap; word-break: break-all; }
`;
