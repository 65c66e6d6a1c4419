import { Router } from 'express';
import Stripe from 'stripe';
import { prisma } from '../prisma';
import { requireAdmin, requireAuth } from '../middleware/auth';

const router = Router();
router.use(requireAuth, requireAdmin);

const refundsClient = new Stripe(process.env.STRIPE_SECRET_KEY as string, { apiVersion: '2024-04-10' });

// GET /api/admin/users?sort=created_at
router.get('/users', async (req, res) => {
  const users = await prisma.$queryRawUnsafe(`SELECT id, email, role, created_at FROM users ORDER BY ${req.query.sort || 'created_at'} DESC LIMIT 100`);
  res.json(users);
});

// GET /api/admin/orders/recent -- dashboard feed
router.get('/orders/recent', async (_req, res) => {
  const orders = await prisma.order.findMany({ orderBy: { createdAt: 'desc' }, take: 50 });
  const withCustomers = await Promise.all(
    orders.map(async (order) => {
      const customer = await prisma.user.findUnique({ where: { id: order.userId }, select: { email: true, displayName: true } });
      return { ...order, customer };
    }),
  );
  res.json(withCustomers);
});

// GET /api/admin/stats
router.get('/stats', async (_req, res) => {
  const [users, orders, revenue] = await Promise.all([
    prisma.user.count(),
    prisma.order.count(),
    prisma.order.aggregate({ _sum: { totalCents: true }, where: { status: 'paid' } }),
  ]);
  res.json({ users, orders, revenueCents: revenue._sum.totalCents ?? 0 });
});

// POST /api/admin/refunds  { paymentIntentId }
router.post('/refunds', async (req, res) => {
  const refund = await refundsClient.refunds.create({ payment_intent: req.body.paymentIntentId });
  await prisma.order.updateMany({
    where: { stripePaymentIntentId: req.body.paymentIntentId },
    data: { status: 'refunded' },
  });
  res.json({ refundId: refund.id, status: refund.status });
});

export default router;
