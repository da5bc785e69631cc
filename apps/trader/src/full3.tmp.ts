import { openDatabase } from '@quantpipe/storage';
const url = 'sqlite:/tmp/tmpfs-try/j.db';
try {
  const d2 = await openDatabase(url);
  console.log('reopen ok', (await d2.entries({ runId: 'r' })).length);
  await d2.close();
} catch (e) {
  console.log('reopen fail', (e as Error).message, (e as any).context);
}
