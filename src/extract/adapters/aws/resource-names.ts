import type { ts } from 'ts-morph';
import type { NameExpr } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { ExtractContext } from '../types.js';

/** The ARN or URL an expression holds, following constants of this module so that it can be cut to a name. */
export function valueOf(context: ExtractContext, expression: ts.Expression): NameExpr {
  return followModuleConstants(context, context.nameOf(expression));
}

/** An SNS topic's name: the last `:` segment of its ARN (`arn:aws:sns:eu-west-1:123:orders` → `orders`). */
export function topicNameOfArn(arn: NameExpr): NameExpr {
  return lastSegment(arn, ':');
}

/** An SQS queue's name: the last segment of its ARN (`arn:aws:sqs:…:orders-queue`). */
export function queueNameOfArn(arn: NameExpr): NameExpr {
  return lastSegment(arn, ':');
}

/** An SQS queue's name: the last path segment of its URL (`https://sqs.eu-west-1.amazonaws.com/123/orders-queue`). */
export function queueNameOfUrl(url: NameExpr): NameExpr {
  return lastSegment(url, '/');
}

/**
 * The text after the last separator, computed on the name as written: a literal, the literal
 * tail of a template (`arn:aws:sns:${region}:${account}:${topic}` → `topic`), an environment
 * variable's fallback. A reference to a constant elsewhere only link can read, and link has no
 * "last segment of" yet: such names stay dynamic rather than naming the event by its whole ARN.
 */
function lastSegment(name: NameExpr, separator: string): NameExpr {
  switch (name.kind) {
    case 'literal':
      return { ...name, value: after(name.value, separator) };
    case 'env':
      return { ...name, fallback: lastSegment(name.fallback, separator) };
    case 'template': {
      const tail: NameExpr[] = [];
      for (const part of [...name.parts].reverse()) {
        if (part.kind === 'literal' && part.value.includes(separator)) {
          const rest = after(part.value, separator);
          if (rest) tail.unshift({ kind: 'literal', value: rest });
          return { kind: 'template', parts: tail, text: name.text };
        }
        tail.unshift(part);
      }
      return { kind: 'dynamic', text: name.text };
    }
    case 'dynamic':
      return name;
    default:
      return { kind: 'dynamic', text: name.text };
  }
}

function after(value: string, separator: string): string {
  return value.slice(value.lastIndexOf(separator) + 1);
}

/**
 * A constant of this module read here, so that the ARN or URL it holds can be cut to a name
 * (`const TOPIC_ARN = process.env.TOPIC_ARN ?? 'arn:…:orders'`). Only link reads constants of
 * other modules, and it has no way to take the last segment of what it finds.
 */
function followModuleConstants(context: ExtractContext, name: NameExpr, depth = 0): NameExpr {
  const { ts } = context;
  if (depth > 8) return name;
  switch (name.kind) {
    case 'ref': {
      let value = name.ref.name === 'this' ? undefined : moduleConstant(context, name.ref.name);
      for (const key of name.ref.path ?? []) value = value && context.property(value, key);
      return value && !ts.isObjectLiteralExpression(unwrap(ts, value)) ? followModuleConstants(context, context.nameOf(value), depth + 1) : name;
    }
    case 'template':
      return { ...name, parts: name.parts.map((part) => followModuleConstants(context, part, depth + 1)) };
    case 'env':
      return { ...name, fallback: followModuleConstants(context, name.fallback, depth + 1) };
    default:
      return name;
  }
}

function moduleConstant(context: ExtractContext, name: string): ts.Expression | undefined {
  const { ts } = context;
  for (const statement of context.sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}
