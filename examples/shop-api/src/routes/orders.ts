import { Router } from 'express';
import { pool } from '../db';
import { prisma } from '../prisma';
import { requireAuth } from '../middleware/auth';
import { createCheckoutSession } from '../billing/stripe';

const router = Router();
router.use(requireAuth);

// GET /api/orders?page=1 -- the signed-in user's orders, with items
router.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 50);
  const skip = (Math.max(Number(req.query.page) || 1, 1) - 1) * limit;
  const orders = await prisma.order.findMany({
    where: { userId: req.user.id },
    include: { items: { include: { product: true } } },
    orderBy: { createdAt: 'desc' },
    take: limit,
    skip,
  });
  res.json(orders);
});

// GET /api/orders/:id
router.get('/:id', async (req, res) => {
  const order = await prisma.order.findUnique({ where: { id: req.params.id }, include: { items: true } });
  if (!order) return res.status(404).json({ error: 'Order not found' });
  res.json(order);
});

// GET /api/orders/:id/receipt
router.get('/:id/receipt', async (req, res) => {
  const { id } = req.params;
  const order = await prisma.order.findFirst({ where: { id, userId: req.user.id }, include: { items: true } });
  if (!order) return res.status(404).json({ error: 'Order not found' });
  res.json({ orderId: order.id, totalCents: order.totalCents, items: order.items, status: order.status });
});

// POST /api/orders  { items: [{ productId, quantity }] }
router.post('/', async (req, res) => {
  const items: { productId: string; quantity: number }[] = req.body.items ?? [];
  if (items.length === 0 || items.length > 50) {
    return res.status(400).json({ error: 'Between 1 and 50 items are required' });
  }
  const { rows: products } = await pool.query<{ id: string; name: string; price_cents: number }>(
    'SELECT id, name, price_cents FROM products WHERE active = true AND id = ANY($1::text[])',
    [items.map((item) => item.productId)],
  );
  const byId = new Map(products.map((p) => [p.id, p]));
  if (byId.size !== new Set(items.map((item) => item.productId)).size) {
    return res.status(400).json({ error: 'Unknown product in cart' });
  }

  let totalCents = 0;
  for (const item of items) {
    totalCents += byId.get(item.productId)!.price_cents * item.quantity;
  }

  const order = await prisma.order.create({
    data: {
      userId: req.user.id,
      totalCents,
      items: {
        create: items.map((item) => ({
          productId: item.productId,
          quantity: item.quantity,
          priceCents: byId.get(item.productId)!.price_cents,
        })),
      },
    },
  });

  const session = await createCheckoutSession(
    order.id,
    req.user.email,
    items.map((item) => ({
      name: byId.get(item.productId)!.name,
      unitAmountCents: byId.get(item.productId)!.price_cents,
      quantity: item.quantity,
    })),
  );
  res.status(201).json({ orderId: order.id, checkoutUrl: session.url });
});

export default router;
