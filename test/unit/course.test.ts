import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every docker command of the course must be shown or run by a walkthrough step; reached, so kept. */
const THRESHOLD = 100;
const root = path.resolve(__dirname, '../../..');
const courseDir = process.env.COURSE_DIR ?? path.join(root, '../shared/seeds');

interface Coverage {
  rows: { command: string; step?: string }[];
  covered: number;
  total: number;
  percent: number;
}

describe('course coverage', () => {
  it(`shows or runs at least ${THRESHOLD}% of the course's docker commands in a walkthrough step`, async function () {
    if (!fs.existsSync(courseDir)) this.skip(); // the course text is not part of this repository
    const { coverage } = (await import(pathToFileURL(path.join(root, 'scripts/course-coverage.mjs')).href)) as {
      coverage: (dir: string) => Coverage;
    };
    const result = coverage(courseDir);
    assert.ok(result.total > 100, `${result.total} commands found: is the course text there?`);
    const missing = result.rows.filter((r) => !r.step).map((r) => r.command);
    assert.ok(result.percent >= THRESHOLD, `${result.percent.toFixed(1)}% covered; missing:\n${missing.join('\n')}`);
  });

  it('finds commands in code blocks and inline code, joining continued lines', async () => {
    const { courseCommands } = (await import(pathToFileURL(path.join(root, 'scripts/course-coverage.mjs')).href)) as {
      courseCommands: (dir: string) => { command: string }[];
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-course-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'a.txt'),
        'Text `docker volume ls` here.\n```bash\ndocker run \\\n  -v x:/y alpine   # comment\necho not docker\ndocker swarm join --token <t> <ip>:2377)\n```\n',
      );
      assert.deepEqual(
        courseCommands(dir).map((c) => c.command),
        ['docker run -v x:/y alpine', 'docker swarm join --token <t> <ip>:2377', 'docker volume ls'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
