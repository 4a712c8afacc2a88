import type { Declaration, Finding, Handler, Location, Result, Severity } from '../model/result.js';
import { compareBy, compareStrings } from '../util/compare.js';
import { count, diagnosticAt, notesOf, scopeText, sortedDiagnostics, sortedFindings, staleEntries, totalsOf, whereAt } from './summary.js';

/** At most this many events and services in the diagram; those of errors come first. */
export const MAX_DIAGRAM_NODES = 24;

/**
 * At most this many findings in the table (errors first when cut): a pull-request comment holds
 * 65,536 characters, and a row with its related locations takes up to a thousand.
 */
export const MAX_TABLE_ROWS = 50;

/**
 * Markdown for pull-request comments and the GitHub job summary: a heading, a one-line summary,
 * a table of findings (severity, rule linked to its docs, location, message), the related
 * locations in a collapsible `<details>`, the diagnostics and the baseline's stale entries in
 * others, and a Mermaid flowchart of the events and services the findings touch (through their
 * locations and their data), capped at {@link MAX_DIAGRAM_NODES} nodes with a note when cut.
 * The table lists at most {@link MAX_TABLE_ROWS} findings, errors first when it has to leave some
 * out, and says how many.
 */
export function renderMarkdown(result: Result): string {
  const totals = totalsOf(result);
  const all = sortedFindings(result);
  const findings = all.length <= MAX_TABLE_ROWS ? all : listed(all);
  const out: string[] = ['## choreolint', ''];

  const notes = notesOf(result);
  const notesLine = notes.length > 0 ? [`_${notes.map(inline).join(' · ')}_`, ''] : [];
  if (totals.problems === 0) {
    out.push(`✅ **No problems** · ${inline(scopeText(result))}`, '', ...notesLine);
  } else {
    const errors = `${totals.errors > 0 ? '❌' : '✅'} **${count(totals.errors, 'error')}**`;
    const warnings = `${totals.warnings > 0 ? '⚠️' : '✅'} **${count(totals.warnings, 'warning')}**`;
    out.push(`${errors}, ${warnings} · ${inline(scopeText(result))}`, '', ...notesLine);
    out.push('| # | severity | rule | location | message |', '| ---: | --- | --- | --- | --- |');
    findings.forEach((finding, index) => {
      const severity = finding.severity === 'error' ? '❌ error' : '⚠️ warning';
      out.push(`| ${index + 1} | ${severity} | ${link(finding.ruleId, finding.docs)} | ${code(whereAt(finding.location), true)} | ${inline(finding.message)} |`);
    });
    out.push('');
    if (findings.length < all.length) {
      const shown = new Set(findings);
      const left = all.filter((finding) => !shown.has(finding));
      const errors = left.filter((finding) => finding.severity === 'error').length;
      out.push(`_${count(left.length, 'more finding')} (${count(errors, 'error')}, ${count(left.length - errors, 'warning')}) not listed: the other formats have them all._`, '');
    }

    const withRelated = findings.map((finding, index) => ({ finding, number: index + 1 })).filter(({ finding }) => finding.related.length > 0);
    if (withRelated.length > 0) {
      out.push('<details>', `<summary>Related locations (${count(withRelated.length, 'finding')})</summary>`, '');
      for (const { finding, number } of withRelated) {
        out.push(`**${number}.** ${inline(finding.ruleId)} at ${code(whereAt(finding.location))}`, '');
        for (const related of finding.related) out.push(`- ${code(whereAt(related))} ${inline(related.message)}`);
        out.push('');
      }
      out.push('</details>', '');
    }
  }

  const diagnostics = sortedDiagnostics(result);
  if (diagnostics.length > 0) {
    out.push('<details>', `<summary>${count(diagnostics.length, 'diagnostic')}: input that could not be fully analyzed</summary>`, '');
    for (const diagnostic of diagnostics.slice(0, MAX_TABLE_ROWS)) out.push(`- ${code(diagnosticAt(diagnostic))} ${inline(diagnostic.code)}: ${inline(diagnostic.message)}`);
    if (diagnostics.length > MAX_TABLE_ROWS) out.push(`- _and ${diagnostics.length - MAX_TABLE_ROWS} more_`);
    out.push('', '</details>', '');
  }

  const stale = staleEntries(result);
  if (stale.length > 0) {
    out.push('<details>', `<summary>${stale.length} stale baseline ${stale.length === 1 ? 'entry' : 'entries'} in ${html(result.baseline!.file)}: run <code>choreolint check --update-baseline</code></summary>`, '');
    for (const entry of stale.slice(0, MAX_TABLE_ROWS)) out.push(`- ${code(entry.file)} ${inline(entry.ruleId)}: ${inline(entry.message)}`);
    if (stale.length > MAX_TABLE_ROWS) out.push(`- _and ${stale.length - MAX_TABLE_ROWS} more_`);
    out.push('', '</details>', '');
  }

  if (all.length > 0) {
    const diagram = touchedDiagram(result, all);
    if (diagram.lines.length > 1) {
      out.push('**What the findings touch**', '', '```mermaid', ...diagram.lines, '```', '');
      if (diagram.total > diagram.shown) {
        out.push(`_The diagram shows ${diagram.shown} of the ${diagram.total} events and services the findings touch, those of errors first._`, '');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * Text in a table cell or a list item: Markdown and HTML specials backslash-escaped (`|` too, so
 * a cell never splits), `&` as an entity, line breaks as `<br>`, control characters as U+FFFD.
 */
export function inline(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- control characters have no place in a comment
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
    .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/\r\n|[\r\n]/g, '<br>');
}

/** The rows a table too long keeps: errors first, then warnings, each in file order; shown in file order. */
function listed(findings: Finding[]): Finding[] {
  const kept = new Set([...findings.filter((finding) => finding.severity === 'error'), ...findings.filter((finding) => finding.severity !== 'error')].slice(0, MAX_TABLE_ROWS));
  return findings.filter((finding) => kept.has(finding));
}

/**
 * A code span that survives any backticks in the text. In a table cell its `|` are escaped (GitHub
 * strips the backslash there); anywhere else a backslash would show, so they stay as they are.
 */
export function code(text: string, inTable = false): string {
  // eslint-disable-next-line no-control-regex -- line breaks and control characters cannot be in a code span
  const flat = text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  return `${fence}${inTable ? padded.replace(/\|/g, '\\|') : padded}${fence}`;
}

/** Text inside an HTML element (a `<summary>`), where Markdown escapes would show. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(label: string, url: string): string {
  return `[${inline(label)}](${url.replace(/[\s()<>|]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
}

interface Diagram {
  lines: string[];
  shown: number;
  total: number;
}

type NodeKey = `e:${string}` | `s:${string}`;

/**
 * The events and services the findings touch: each finding's locations (the declarations and
 * handlers there) and the event ids, declaration ids, handler ids and service names in its data,
 * with the publish (service → event) and consume (event → service) edges between them.
 */
function touchedDiagram(result: Result, findings: Finding[]): Diagram {
  const declarations = new Map(result.declarations.map((declaration) => [declaration.id, declaration]));
  const handlers = new Map(result.handlers.map((handler) => [handler.id, handler]));
  const events = new Map(result.topology.events.map((event) => [event.id, event]));
  const services = new Set([...result.services.map((service) => service.name), ...result.declarations.map((declaration) => declaration.service)]);
  const eventsOfDeclaration = new Map<string, string[]>();
  for (const event of result.topology.events) {
    for (const id of [...event.publishers, ...event.subscribers]) eventsOfDeclaration.set(id, [...(eventsOfDeclaration.get(id) ?? []), event.id]);
  }
  const at = (location: Location) => `${location.repository ?? ''}\0${location.file}\0${location.line}\0${location.column}`;
  const declarationsAt = groupBy(result.declarations, at);
  const handlersAt = groupBy(result.handlers, at);

  // Errors first, then the table's order: the cap keeps what matters most.
  const ordered = [...findings.filter((finding) => finding.severity === 'error'), ...findings.filter((finding) => finding.severity !== 'error')];
  const touched = new Map<NodeKey, Severity>();
  for (const finding of ordered) {
    const keys: NodeKey[] = [];
    const touchDeclaration = (declaration: Declaration) => {
      for (const event of eventsOfDeclaration.get(declaration.id) ?? []) keys.push(`e:${event}`);
      keys.push(`s:${declaration.service}`);
    };
    const touchHandler = (handler: Handler) => {
      for (const id of handler.subscribes) for (const event of eventsOfDeclaration.get(id) ?? []) keys.push(`e:${event}`);
      keys.push(`s:${handler.service}`);
    };
    for (const location of [finding.location, ...finding.related]) {
      for (const declaration of declarationsAt.get(at(location)) ?? []) touchDeclaration(declaration);
      for (const handler of handlersAt.get(at(location)) ?? []) touchHandler(handler);
    }
    for (const value of strings(finding.data)) {
      const declaration = declarations.get(value);
      const handler = handlers.get(value);
      if (events.has(value)) keys.push(`e:${value}`);
      else if (declaration) touchDeclaration(declaration);
      else if (handler) touchHandler(handler);
      else if (services.has(value)) keys.push(`s:${value}`);
    }
    for (const key of keys) if (!touched.has(key)) touched.set(key, finding.severity);
  }

  const kept = [...touched.keys()].slice(0, MAX_DIAGRAM_NODES);
  const keptSet = new Set(kept);
  const keptServices = kept.filter((key) => key.startsWith('s:')).map((key) => key.slice(2)).sort(compareStrings);
  const keptEvents = kept.filter((key) => key.startsWith('e:')).map((key) => key.slice(2)).sort(compareStrings);
  const ids = new Map<NodeKey, string>([
    ...keptServices.map((name, index): [NodeKey, string] => [`s:${name}`, `s${index}`]),
    ...keptEvents.map((id, index): [NodeKey, string] => [`e:${id}`, `e${index}`]),
  ]);

  const lines = ['flowchart LR'];
  for (const name of keptServices) lines.push(`  ${ids.get(`s:${name}`)}["${label(name)}"]`);
  for (const id of keptEvents) {
    const event = events.get(id)!;
    lines.push(`  ${ids.get(`e:${id}`)}(["${label(event.scope ? `${event.name} (in-process, ${event.scope})` : event.name)}"])`);
  }
  const edges = new Set<string>();
  for (const id of keptEvents) {
    const event = events.get(id)!;
    const node = ids.get(`e:${id}`)!;
    for (const publisher of event.publishers) {
      const service = declarations.get(publisher)?.service;
      if (service !== undefined && keptSet.has(`s:${service}`)) edges.add(`  ${ids.get(`s:${service}`)} --> ${node}`);
    }
    for (const subscriber of event.subscribers) {
      const service = declarations.get(subscriber)?.service;
      if (service !== undefined && keptSet.has(`s:${service}`)) edges.add(`  ${node} --> ${ids.get(`s:${service}`)}`);
    }
  }
  lines.push(...[...edges].sort(compareStrings));

  const bySeverity = (severity: Severity) =>
    kept
      .filter((key) => touched.get(key) === severity)
      .map((key) => ids.get(key)!)
      .sort(compareBy<string>((id) => id[0]!, (id) => Number(id.slice(1))));
  const errorNodes = bySeverity('error');
  const warnNodes = bySeverity('warn');
  if (errorNodes.length > 0) lines.push('  classDef error stroke:#d1242f,stroke-width:3px', `  class ${errorNodes.join(',')} error`);
  if (warnNodes.length > 0) lines.push('  classDef warn stroke:#bf8700,stroke-width:2px', `  class ${warnNodes.join(',')} warn`);
  return { lines, shown: kept.length, total: touched.size };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Every string in a finding's data, depth first, in the data's own order. */
function strings(value: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') found.push(next);
    else if (Array.isArray(next)) stack.push(...[...next].reverse());
    else if (next !== null && typeof next === 'object') stack.push(...Object.values(next).reverse());
  }
  return found;
}

/** A quoted Mermaid label: quotes, angle brackets, `#` and backticks as Mermaid entity codes. */
export function label(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\r\n|[\r\n]/g, ' ');
}
