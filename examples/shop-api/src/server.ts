import express from 'express';
import cors from 'cors';
import { config } from './config';
import { stripeClientConfig, stripeWebhookHandler } from './billing/stripe';
import productsRouter from './routes/products';
import ordersRouter from './routes/orders';
import usersRouter from './routes/users';
import adminRouter from './routes/admin';
import searchRouter from './routes/search';

const app = express();

// Stripe needs the raw body to verify the signature, so mount before express.json().
app.post('/api/billing/webhook', express.raw({ type: 'application/json' }), stripeWebhookHandler);

app.use(cors({ origin: config.corsOrigin }));
app.use(express.json({ limit: '1mb' }));

app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/api/billing/config', (_req, res) => res.json(stripeClientConfig));

app.use('/api/products', productsRouter);
app.use('/api/orders', ordersRouter);
app.use('/api/users', usersRouter);
app.use('/api/admin', adminRouter);
app.use('/api/search', searchRouter);

app.listen(config.port, () => {
  console.log(`shop-api listening on http://localhost:${config.port}`);
});
