import { createInterface } from 'node:readline';

/**
 * The new password: typed twice at a prompt that does not echo, or, when stdin is not a terminal
 * (a pipe, a secret manager), its first line. Never an argument: arguments end up in shell history
 * and in `ps`.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  const first = await askHidden(prompt);
  const second = await askHidden('Again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let prompted = false;
    // Print the prompt once, then nothing of what is typed.
    out._writeToOutput = (s: string) => {
      if (!prompted) {
        prompted = true;
        out.output.write(s);
      }
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
