import type { Result } from '../../model/result.js';
import { plural } from './build.js';
import { dotToSvg, fitForGraphviz, inlineSvg } from './svg.js';
import type { Diagram, DiagramOptions, GraphOutput } from './types.js';

/**
 * One self-contained HTML page: the view as inline SVG, the findings, a search box for events and
 * services; clicking a node highlights its neighbourhood, clicking a finding what it touches.
 * Inline CSS and script only: the page loads nothing, from anywhere.
 */
export async function htmlGraph(result: Result, options: DiagramOptions): Promise<GraphOutput> {
  const { diagram, text: dot, notes } = fitForGraphviz(result, options);
  const svg = inlineSvg(await dotToSvg(dot));
  return { text: renderHtmlPage(diagram, svg, result.tool.version), notes };
}

export function renderHtmlPage(diagram: Diagram, svg: string, version: string): string {
  const data = {
    nodes: diagram.nodes.map((node) => ({ id: node.id, key: node.key, kind: node.kind, label: node.label.join(' ') })),
    edges: diagram.edges.map((edge) => ({ id: edge.id, from: edge.from, to: edge.to })),
    findings: diagram.findings.map((finding) => ({ index: finding.index, nodes: finding.nodes, edges: finding.edges })),
  };
  const counts = [
    plural(diagram.nodes.filter((node) => node.kind === 'event' || node.kind === 'domain').length, 'event node'),
    plural(diagram.nodes.filter((node) => node.kind === 'service' || node.kind === 'folder').length, 'service node'),
    plural(diagram.nodes.filter((node) => node.kind === 'handler').length, 'handler'),
  ].filter((text) => !text.startsWith('0 '));
  const findings = diagram.findings.map((finding) => {
    const drawn = finding.nodes.length + finding.edges.length > 0;
    return [
      `<li class="finding sev-${escapeHtml(finding.severity)}${drawn ? '' : ' offview'}" data-finding="${finding.index}" tabindex="0" role="button">`,
      `<span class="sev">${escapeHtml(finding.severity === 'warn' ? 'warning' : finding.severity)}</span> <span class="rule">${escapeHtml(finding.ruleId)}</span>`,
      `<div class="message">${escapeHtml(finding.message)}</div>`,
      `<div class="where">${escapeHtml(finding.location)}${drawn ? '' : ' · not drawn in this view'}${docsLink(finding.docs)}</div>`,
      '</li>',
    ].join('');
  });
  const title = `${diagram.repository}: ${diagram.view} view`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="choreolint ${escapeHtml(version)}">
<title>${escapeHtml(title)} · choreolint</title>
<style>
${CSS}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(diagram.repository)}</h1>
<span class="meta">${escapeHtml([`${diagram.view} view`, ...counts, plural(diagram.findings.length, 'finding'), ...diagram.comments].join(' · '))}</span>
<input id="search" type="search" placeholder="Search events and services" aria-label="Search events and services" autocomplete="off" spellcheck="false">
<span id="status" role="status"></span>
<button id="clear" type="button">Clear</button>
</header>
<main>
<section id="graph" aria-label="Topology">
${svg}
</section>
<aside id="findings" aria-label="Findings">
<h2>${escapeHtml(plural(diagram.findings.length, 'finding'))}</h2>
${findings.length > 0 ? `<ol>\n${findings.join('\n')}\n</ol>` : '<p class="none">No findings.</p>'}
<p class="hint">Click a node for its neighbourhood, a finding for what it touches; Esc clears.</p>
</aside>
</main>
<script type="application/json" id="choreolint-data">${jsonForScript(data)}</script>
<script>
${SCRIPT}
</script>
</body>
</html>
`;
}

function docsLink(docs: string): string {
  if (docs === '') return '';
  return /^https?:\/\/[^\s"'<>]+$/.test(docs) ? ` · <a class="docs" href="${escapeHtml(docs)}" target="_blank" rel="noopener noreferrer">docs</a>` : ` · ${escapeHtml(docs)}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** JSON that cannot close its <script> element or break a line terminator. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const HIGHLIGHT = '#1a73e8';

const CSS = `:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: #202124; background: #fff; }
header { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; padding: .6rem 1rem; border-bottom: 1px solid #dadce0; background: #fff; }
header h1 { font-size: 1.1rem; margin: 0; }
header .meta { color: #5f6368; font-size: .85rem; }
#search { margin-left: auto; padding: .35rem .6rem; min-width: 18rem; font: inherit; border: 1px solid #dadce0; border-radius: 4px; }
#status { font-size: .85rem; color: #5f6368; min-width: 10rem; }
#clear { font: inherit; padding: .3rem .7rem; border: 1px solid #dadce0; border-radius: 4px; background: #f8f9fa; cursor: pointer; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 26rem; height: calc(100vh - 3.4rem); }
#graph { overflow: auto; padding: 1rem; }
#graph svg { display: block; height: auto; margin: 0 auto; }
aside { border-left: 1px solid #dadce0; overflow: auto; padding: .25rem 1rem 1rem; }
aside h2 { font-size: 1rem; }
aside ol { padding: 0; margin: 0; }
.finding { list-style: none; padding: .5rem .6rem; border-radius: 6px; cursor: pointer; border: 1px solid transparent; margin-bottom: .3rem; font-size: .85rem; line-height: 1.35; }
.finding:hover, .finding:focus { background: #f1f3f4; outline: none; }
.finding.active { border-color: ${HIGHLIGHT}; background: #e8f0fe; }
.finding.offview { opacity: .7; }
.finding[hidden] { display: none; }
.finding .sev { font-weight: 600; text-transform: uppercase; font-size: .7rem; padding: .05rem .35rem; border-radius: 3px; }
.sev-error .sev { background: #fdecea; color: #b71c1c; }
.sev-warn .sev { background: #fff4e5; color: #8a4b00; }
.finding .rule { color: #5f6368; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8rem; }
.finding .message { margin-top: .2rem; overflow-wrap: anywhere; }
.finding .where { margin-top: .2rem; color: #5f6368; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .75rem; overflow-wrap: anywhere; }
.finding .docs { color: ${HIGHLIGHT}; }
.hint, .none { color: #5f6368; font-size: .8rem; }
#graph g.node:not(.legend-entry) { cursor: pointer; }
body.highlighting #graph g.node:not(.hl), body.highlighting #graph g.edge:not(.hl) { opacity: .12; }
#graph g.hl > path, #graph g.hl > polygon, #graph g.hl > ellipse { stroke-width: 3px; }
#graph g.hl { filter: drop-shadow(0 0 2px ${HIGHLIGHT}); }
#graph g.hl-origin > polygon, #graph g.hl-origin > path { stroke: ${HIGHLIGHT}; }
#graph g.filtered { opacity: .1; }
#graph g.node.match > polygon, #graph g.node.match > path { stroke: ${HIGHLIGHT}; stroke-width: 2.5px; }`;

const SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('choreolint-data').textContent);
  var graph = document.getElementById('graph');
  var search = document.getElementById('search');
  var status = document.getElementById('status');
  var items = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  function byId(id) { return document.getElementById(id); }
  var nodes = data.nodes.filter(function (node) { return byId(node.id); });
  var edges = data.edges.filter(function (edge) { return byId(edge.id); });
  var labels = {};
  var around = {};
  nodes.forEach(function (node) { labels[node.id] = node.label; around[node.id] = { nodes: [node.id], edges: [] }; });
  edges.forEach(function (edge) {
    if (around[edge.from]) { around[edge.from].nodes.push(edge.to); around[edge.from].edges.push(edge.id); }
    if (around[edge.to]) { around[edge.to].nodes.push(edge.from); around[edge.to].edges.push(edge.id); }
  });
  var findings = {};
  data.findings.forEach(function (finding) { findings[finding.index] = finding; });

  function each(selector, action) { Array.prototype.forEach.call(graph.querySelectorAll(selector), action); }
  function clearHighlight() {
    document.body.classList.remove('highlighting');
    each('.hl, .hl-origin', function (element) { element.classList.remove('hl', 'hl-origin'); });
    items.forEach(function (item) { item.classList.remove('active'); });
  }
  function highlight(ids, origin) {
    clearHighlight();
    document.body.classList.add('highlighting');
    ids.forEach(function (id) { var element = byId(id); if (element) element.classList.add('hl'); });
    if (origin) byId(origin).classList.add('hl-origin');
  }
  function showNeighbourhood(id) {
    var near = around[id];
    highlight(near.nodes.concat(near.edges), id);
    status.textContent = labels[id] + ': ' + (near.nodes.length - 1) + ' connected';
  }
  function showFinding(item) {
    var finding = findings[item.getAttribute('data-finding')];
    if (!finding) return;
    highlight(finding.nodes.concat(finding.edges));
    item.classList.add('active');
    status.textContent = finding.nodes.length + finding.edges.length > 0 ? '' : 'not drawn in this view';
    var first = finding.nodes.length > 0 ? byId(finding.nodes[0]) : null;
    if (first && first.scrollIntoView) first.scrollIntoView({ block: 'center', inline: 'center' });
  }
  function applySearch() {
    var query = search.value.trim().toLowerCase();
    if (query !== '') clearHighlight();
    var matched = {};
    var count = 0;
    nodes.forEach(function (node) {
      var hit = query !== '' && (node.label.toLowerCase().indexOf(query) >= 0 || node.key.toLowerCase().indexOf(query) >= 0);
      if (hit) { matched[node.id] = true; count++; }
      var element = byId(node.id);
      element.classList.toggle('match', hit);
      element.classList.toggle('filtered', query !== '' && !hit);
    });
    edges.forEach(function (edge) {
      byId(edge.id).classList.toggle('filtered', query !== '' && !(matched[edge.from] && matched[edge.to]));
    });
    items.forEach(function (item) {
      var finding = findings[item.getAttribute('data-finding')];
      var touches = finding && finding.nodes.some(function (id) { return matched[id]; });
      item.hidden = query !== '' && !touches && item.textContent.toLowerCase().indexOf(query) < 0;
    });
    status.textContent = query === '' ? '' : count + ' of ' + nodes.length + ' match';
  }

  // Wide graphs shrink to the pane, but never below 60% of their size: scroll beyond that.
  var svg = graph.querySelector('svg');
  function fit() {
    if (!svg || !svg.width || !svg.width.baseVal) return;
    var natural = svg.width.baseVal.value;
    var available = graph.clientWidth - 32;
    svg.style.width = Math.min(natural, Math.max(available, natural * 0.6)) + 'px';
  }
  fit();
  window.addEventListener('resize', fit);

  graph.addEventListener('click', function (event) {
    var node = event.target && event.target.closest ? event.target.closest('g.node') : null;
    if (node && around[node.id]) showNeighbourhood(node.id);
    else { clearHighlight(); status.textContent = ''; }
  });
  items.forEach(function (item) {
    item.addEventListener('click', function (event) {
      if (event.target && event.target.closest && event.target.closest('a')) return;
      showFinding(item);
    });
    item.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); showFinding(item); }
    });
  });
  search.addEventListener('input', applySearch);
  document.getElementById('clear').addEventListener('click', function () { search.value = ''; applySearch(); clearHighlight(); });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { search.value = ''; applySearch(); clearHighlight(); }
  });
})();`;
