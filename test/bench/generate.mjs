// Generates a synthetic monorepo for the benchmark: services with a mix of messaging code
// (kafkajs handlers that publish through injected services, topics from a shared constants
// package) and plain code that never mentions a message, like real repositories.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function generateMonorepo(root, { files, services = Math.max(2, Math.round(files / 100)), messagingShare = 0.15, seed = 1 }) {
  rmSync(root, { recursive: true, force: true });
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const write = (file, text) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const topics = Array.from({ length: Math.max(10, Math.round(files / 20)) }, (_, i) => `domain${i % 17}.event${i}`);
  write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*', 'services/*'] }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@bench/contracts': ['packages/contracts/src/index.ts'] } } }, null, 2));
  write('packages/contracts/package.json', JSON.stringify({ name: '@bench/contracts', main: 'dist/index.js' }));
  write('packages/contracts/src/index.ts', `export const Topics = {\n${topics.map((topic, i) => `  T${i}: '${topic}',`).join('\n')}\n} as const;\n`);
  const perService = Math.max(1, Math.floor((files - 2) / services));
  let written = 2;
  let messagingFile;
  let plainFile;
  for (let s = 0; s < services && written < files; s++) {
    const dir = `services/svc${s}`;
    write(`${dir}/package.json`, JSON.stringify({ name: `svc${s}`, dependencies: { kafkajs: '^2.2.4', '@bench/contracts': '*' } }));
    for (let f = 0; f < perService && written < files; f++, written++) {
      const file = `${dir}/src/module${f}.ts`;
      if (random() < messagingShare) {
        const consumed = Math.floor(random() * topics.length);
        const published = Math.floor(random() * topics.length);
        write(file, messagingModule(f, consumed));
        messagingFile ??= file;
        write(`${dir}/src/publisher${f}.ts`, publisherModule(f, published));
        written++;
      } else {
        write(file, plainModule(f, Math.floor(random() * 6) + 2));
        plainFile ??= file;
      }
    }
  }
  return { files: written, topics: topics.length, messagingFile, plainFile };
}

function messagingModule(index, consumed) {
  return `import type { Consumer, EachMessagePayload } from 'kafkajs';
import { Topics } from '@bench/contracts';
import { Publisher${index} } from './publisher${index}';

/** Consumes one topic and publishes another through an injected publisher. */
export class Handler${index} {
  private handled = 0;

  constructor(
    private readonly consumer: Consumer,
    private readonly publisher: Publisher${index},
  ) {}

  async start(): Promise<void> {
    await this.consumer.subscribe({ topic: Topics.T${consumed} });
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) });
  }

  private async handle({ message }: EachMessagePayload): Promise<void> {
    const body = JSON.parse(message.value?.toString() ?? '{}') as { id?: string };
    if (!body.id) return;
    this.handled++;
    await this.publisher.publish(body.id);
  }
}
`;
}

function publisherModule(index, published) {
  return `import type { Producer } from 'kafkajs';
import { Topics } from '@bench/contracts';

export class Publisher${index} {
  constructor(private readonly producer: Producer) {}

  async publish(id: string): Promise<void> {
    await this.producer.send({ topic: Topics.T${published}, messages: [{ key: id, value: JSON.stringify({ id }) }] });
  }
}
`;
}

function plainModule(index, functions) {
  const body = Array.from({ length: functions }, (_, k) => `export function compute${index}_${k}(values: number[], factor = ${k + 1}): number {
  const scaled = values.map((value) => value * factor).filter((value) => value % ${k + 2} !== 0);
  let total = 0;
  for (const value of scaled) {
    total += value > 100 ? Math.sqrt(value) : value;
  }
  return Math.round(total * 100) / 100;
}

export interface Record${index}_${k} {
  id: string;
  createdAt: Date;
  tags: string[];
}
`).join('\n');
  return `${body}\nexport const config${index} = { retries: 3, timeoutMs: ${index * 10 + 100}, label: 'module-${index}' };\n`;
}
