import 'reflect-metadata';
import { runMain } from '@malipo/common';

runMain('daraja-sim', async () => {
  const { simConfigFromEnv } = await import('./sim.module');
  const { createSimApp } = await import('./start-sim');
  const config = simConfigFromEnv();
  const { app } = await createSimApp(config);
  await app.listen(config.SIM_PORT, config.HOST);
  process.stdout.write(`daraja-sim: listening on http://${config.HOST}:${config.SIM_PORT}\n`);
});
