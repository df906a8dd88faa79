import { newDocument } from "./charts.ts";
import type { Chart } from "./document.ts";

/** A transaction box: its name and one line per micro-op. */
export interface CycleNode {
  label: string;
  lines: string[];
}

/** An edge from node i to node i+1 (the last back to the first), e.g. "rw(x)". */
export interface CycleEdge {
  kind: string;
  label: string;
}

const SVG = "http://www.w3.org/2000/svg";
const COLOURS: Record<string, string> = { ww: "#0969da", wr: "#1a7f37", rw: "#cf222e", process: "#6e7781", realtime: "#8250df" };
const BOX_WIDTH = 190;
const LINE = 15;
const MAX_LINES = 5;
/** Drawings of longer cycles stop here and say so. */
export const MAX_DRAWN_NODES = 12;

type Element = ReturnType<ReturnType<typeof newDocument>["createElementNS"]>;

/**
 * Draws a cycle as boxes on a circle joined by labelled, curved arrows — no Graphviz. Built
 * through a DOM (linkedom) so every label is escaped by the serializer, not by hand.
 */
export function drawCycle(id: string, title: string, nodes: CycleNode[], edges: CycleEdge[]): Chart {
  const capped = nodes.length > MAX_DRAWN_NODES;
  const shown = capped ? nodes.slice(0, MAX_DRAWN_NODES) : nodes;
  const document = newDocument();
  const el = (name: string, attrs: Record<string, string | number>, text?: string): Element => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Far enough apart that neighbouring boxes leave room for an arrow between them.
  const radius = Math.max(120, (BOX_WIDTH + 110) / (2 * Math.sin(Math.PI / Math.max(shown.length, 2))));
  const height = (n: CycleNode): number => LINE * (Math.min(n.lines.length, MAX_LINES) + 1) + 10;
  const at = shown.map((_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / shown.length;
    return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
  });
  // The viewBox hugs the boxes, whatever the number of nodes.
  const left = Math.min(...at.map((p) => p.x)) - BOX_WIDTH / 2 - 20;
  const right = Math.max(...at.map((p) => p.x)) + BOX_WIDTH / 2 + 20;
  const top = Math.min(...at.map((p, i) => p.y - height(shown[i]!) / 2)) - 20;
  const bottom = Math.max(...at.map((p, i) => p.y + height(shown[i]!) / 2)) + 20;
  const width = r(right - left);
  const canvasHeight = r(bottom - top);
  const svg = el("svg", { xmlns: SVG, width, height: canvasHeight, viewBox: `${r(left)} ${r(top)} ${width} ${canvasHeight}`, "font-family": "system-ui, sans-serif", "font-size": 12 });
  svg.appendChild(el("title", {}, title));
  const defs = el("defs", {});
  for (const [kind, colour] of Object.entries(COLOURS)) {
    const marker = el("marker", { id: `${id}-arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: colour }));
    defs.appendChild(marker);
  }
  svg.appendChild(defs);
  const edgeCount = capped ? shown.length - 1 : shown.length;
  for (let i = 0; i < edgeCount; i++) {
    const from = at[i]!;
    const to = at[(i + 1) % shown.length]!;
    const edge = edges[i]!;
    const colour = COLOURS[edge.kind] ?? "#24292f";
    const start = boxExit(from, to, height(shown[i]!));
    const end = boxExit(to, from, height(shown[(i + 1) % shown.length]!));
    // Bend each arrow outward, so that the two edges of a two-node cycle do not overlap.
    const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
    const dx = end.x - start.x;
    const dy = end.y - start.y;
    const length = Math.hypot(dx, dy) || 1;
    const bow = shown.length === 2 ? 80 : 40;
    const control = { x: mid.x + (dy / length) * bow, y: mid.y - (dx / length) * bow };
    svg.appendChild(el("path", { d: `M ${r(start.x)} ${r(start.y)} Q ${r(control.x)} ${r(control.y)} ${r(end.x)} ${r(end.y)}`, fill: "none", stroke: colour, "stroke-width": 2, "marker-end": `url(#${id}-arrow-${edge.kind})` }));
    const labelAt = { x: (mid.x + control.x) / 2, y: (mid.y + control.y) / 2 };
    svg.appendChild(el("text", { x: r(labelAt.x), y: r(labelAt.y), fill: colour, "text-anchor": "middle", "font-weight": "bold", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, edge.label));
  }
  shown.forEach((node, i) => {
    const h = height(node);
    const { x, y } = at[i]!;
    const group = el("g", {});
    group.appendChild(el("rect", { x: r(x - BOX_WIDTH / 2), y: r(y - h / 2), width: BOX_WIDTH, height: h, rx: 6, fill: "#f6f8fa", stroke: "#57606a" }));
    group.appendChild(el("text", { x: r(x), y: r(y - h / 2 + LINE), "text-anchor": "middle", "font-weight": "bold" }, node.label));
    const lines = node.lines.length > MAX_LINES ? [...node.lines.slice(0, MAX_LINES - 1), `… ${node.lines.length - MAX_LINES + 1} more`] : node.lines;
    lines.forEach((line, j) => group.appendChild(el("text", { x: r(x - BOX_WIDTH / 2 + 8), y: r(y - h / 2 + LINE * (j + 2)), "font-family": "ui-monospace, monospace", "font-size": 11 }, clip(line))));
    svg.appendChild(group);
  });
  const caption = capped ? `Capped: showing ${MAX_DRAWN_NODES} of the cycle's ${nodes.length} transactions; the sentences above list every edge.` : `Transactions with their micro-ops; arrows are dependencies (ww blue, wr green, rw red, p = process order grey, rt = real-time order purple).`;
  const markup = svg.outerHTML;
  return { id, title, caption, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${markup}\n`, html: markup };
}

/** Where the segment from a box's centre towards `towards` leaves the box. */
function boxExit(centre: { x: number; y: number }, towards: { x: number; y: number }, h: number): { x: number; y: number } {
  const dx = towards.x - centre.x;
  const dy = towards.y - centre.y;
  const t = Math.min(dx === 0 ? Infinity : BOX_WIDTH / 2 / Math.abs(dx), dy === 0 ? Infinity : h / 2 / Math.abs(dy));
  return { x: centre.x + dx * t * 1.04, y: centre.y + dy * t * 1.04 };
}

function r(x: number): number {
  return Math.round(x * 10) / 10;
}

function clip(line: string): string {
  return line.length > 28 ? `${line.slice(0, 27)}…` : line;
}
