/**
 * The cluster in a real browser: a cell's job listed in the cluster panel under its notebook with its stages,
 * task workers added and removed from the panel, and a long job's inline progress with a cancel button that
 * stops the job on the cluster.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { useNotebookApp } from './support/notebook-app.js';

const { backend, browser, notebook, notebookPath } = useNotebookApp({ createNotebook: true, setupTimeout: 240_000 });

beforeAll(() => {
  if (backend().kind !== 'quire') throw new Error('the cluster panel needs quire serve (its cluster API); this backend is Jupyter Server');
});

interface JobSummary {
  jobId: string;
  owner: string;
  state: string;
}

async function clusterJobs(): Promise<JobSummary[]> {
  const response = await fetch(`${backend().baseUrl}api/cluster/jobs?token=${backend().token}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { jobs: JobSummary[] }).jobs;
}

async function openClusterPanel(): Promise<void> {
  const page = browser().page;
  if ((await page.locator('[data-action="toggle-cluster"]').getAttribute('aria-pressed')) !== 'true') await page.click('[data-action="toggle-cluster"]');
  await page.locator('.cluster-panel').waitFor();
}

describe('cluster panel and job progress in a real browser', () => {
  it("lists this notebook's job with its stages, and adds and removes a task worker", async () => {
    const page = browser().page;
    await notebook().setSource(0, [
      "const counts = spark.range(0, 200000, 1, 4).withColumn('k', col('id').mod(7)).groupBy('k').agg(count().alias('n')).orderBy('k');",
      'counts',
    ].join('\n'));
    await notebook().run(0, 120_000);
    await expect.poll(() => notebook().cell(0).locator('.table-footer').textContent()).toMatch(/^7 rows/);

    const mine = (await clusterJobs()).filter((job) => job.owner === notebookPath());
    expect(mine.length).toBeGreaterThan(0);
    await openClusterPanel();
    const panel = page.locator('.cluster-panel');
    await expect.poll(() => panel.locator('.owner-scope').textContent()).toBe(notebookPath());
    const listed = panel.locator('.job');
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(mine.length);
    const grouped = panel.locator(`.job[data-job="${mine.at(-1)!.jobId}"]`);
    await expect.poll(() => grouped.getAttribute('data-state')).toBe('succeeded');
    if ((await grouped.getAttribute('open')) === null) await grouped.locator('summary').click();
    // The grouping runs at least a partial aggregate and a final stage; each row has its timings.
    await expect.poll(() => grouped.locator('.stage-table tbody tr').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => grouped.locator('.stage-table tbody tr').first().locator('.stage-took').textContent(), { timeout: 10_000 }).toMatch(/\d+(\.\d+)? (ms|s)/);
    await expect.poll(() => grouped.locator('.stage-table tbody tr').first().locator('.stage-started').textContent()).toMatch(/^\+\d/);
    await browser().screenshot('cluster-panel-notebook-jobs');

    const taskRows = panel.locator('.worker-row[data-role="task"]');
    const tasksBefore = await taskRows.count();
    await panel.locator('[data-action="add-worker"]').click();
    await expect.poll(() => taskRows.count(), { timeout: 60_000 }).toBe(tasksBefore + 1);
    await expect.poll(() => taskRows.last().getAttribute('data-state'), { timeout: 60_000 }).toMatch(/^(idle|busy)$/);
    await expect.poll(() => taskRows.last().locator('.worker-id').textContent()).toContain('task');
    await browser().screenshot('cluster-panel-task-worker-added');

    await panel.locator('[data-action="remove-worker"]').click();
    await expect.poll(() => taskRows.count(), { timeout: 60_000 }).toBe(tasksBefore);
    const status = await fetch(`${backend().baseUrl}api/cluster?token=${backend().token}`).then((r) => r.json()) as { size: { task: number } };
    expect(status.size.task).toBe(tasksBefore);
    await browser().screenshot('cluster-panel-task-worker-removed');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 300_000);

  it('shows stage and task bars while a long job runs, and its cancel button stops the job on the cluster', async () => {
    const page = browser().page;
    const long = await notebook().addCell();
    // Hundreds of tasks, each rewriting a few hundred thousand strings: minutes of work on this cluster.
    await notebook().setSource(long, [
      "const text = regexpReplace(concat(col('id').cast('VARCHAR'), lit('-quire')), '([0-9])([a-z])', '$2$1');",
      "await spark.range(0, 200_000_000, 1, 400).select(max(text).alias('h')).collect()",
    ].join('\n'));
    const cell = notebook().cell(long);
    await cell.locator('.cell-input').click();
    await page.keyboard.press('Control+Enter');

    const progress = cell.locator('.job-progress[data-state="running"]');
    await progress.first().waitFor({ timeout: 90_000 });
    await expect.poll(() => progress.first().locator('.progress-stage').count()).toBeGreaterThanOrEqual(1);
    // Tasks complete while it runs: the first stage's bar moves.
    const firstStage = progress.first().locator('.progress-stage').first();
    await expect.poll(async () => Number(await firstStage.locator('[role="progressbar"]').getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => firstStage.locator('.progress-count').textContent()).toMatch(/^\d+\/400 tasks/);
    const jobId = (await progress.first().getAttribute('data-job'))!;
    await browser().screenshot('cell-job-progress-running');

    // Newer progress moves the drawn bars: the cancel button stays the same element while tasks end.
    const cancelButton = (await progress.first().locator('[data-action="cancel-job"]').elementHandle())!;
    const countBefore = await firstStage.locator('.progress-count').textContent();
    await expect.poll(() => firstStage.locator('.progress-count').textContent(), { timeout: 60_000 }).not.toBe(countBefore);
    expect(await cancelButton.evaluate((button) => button.isConnected)).toBe(true);

    // Pressed and released across updates of the progress (a task ends every few hundred ms): the cancel is asked for.
    const box = (await cancelButton.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(600);
    await page.mouse.up();
    await page.waitForFunction((i) => (document.querySelectorAll('.notebook-panel .cell')[i] as HTMLElement | undefined)?.dataset.state === 'idle', long, { timeout: 60_000 });
    const error = cell.locator('.output-error');
    await expect.poll(() => error.textContent()).toContain(`job ${jobId} was cancelled: cancelled by a user through the cluster API`);
    expect(await cell.locator('.job-progress').count()).toBe(0);

    const job = (await clusterJobs()).find((j) => j.jobId === jobId);
    expect(job).toMatchObject({ owner: notebookPath(), state: 'cancelled' });
    await openClusterPanel();
    await expect.poll(() => page.locator(`.cluster-panel .job[data-job="${jobId}"]`).getAttribute('data-state'), { timeout: 15_000 }).toBe('cancelled');
    await browser().screenshot('cell-job-cancelled');

    const next = await notebook().addCell();
    await notebook().setSource(next, 'await spark.range(0, 1000, 1, 4).count()');
    await notebook().run(next, 120_000);
    await expect.poll(() => notebook().cell(next).locator('.output').last().textContent()).toContain('1000');
    expect(await notebook().cell(next).locator('.output-error').count()).toBe(0);
    await browser().screenshot('cell-after-cancelled-job');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 300_000);

  it("shows another notebook's own jobs only when that notebook is on show", async () => {
    const page = browser().page;
    const firstJobs = (await clusterJobs()).filter((job) => job.owner === notebookPath()).length;
    const other = await notebook().createNotebook();
    expect(other).not.toBe(notebookPath());
    await notebook().setSource(0, 'await spark.range(0, 500, 1, 2).count()');
    await notebook().run(0, 120_000);
    const otherJobs = (await clusterJobs()).filter((job) => job.owner === other);
    expect(otherJobs.length).toBeGreaterThan(0);

    await openClusterPanel();
    const panel = page.locator('.cluster-panel');
    await expect.poll(() => panel.locator('.owner-scope').textContent()).toBe(other);
    await expect.poll(() => panel.locator('.job').count(), { timeout: 15_000 }).toBe(otherJobs.length);
    await expect.poll(() => panel.locator('.jobs').textContent()).toContain(`${firstJobs} more job`);
    await browser().screenshot('cluster-panel-other-notebook');

    await page.locator(`.tab[data-path="${notebookPath()}"]`).click();
    await expect.poll(() => panel.locator('.owner-scope').textContent()).toBe(notebookPath());
    await expect.poll(() => panel.locator('.job').count(), { timeout: 15_000 }).toBe(firstJobs);
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 300_000);
});
