import { Router } from 'express';
import { pool } from '../db';
import { prisma } from '../prisma';
import { requireAuth } from '../middleware/auth';

const router = Router();

const PRODUCT_COLUMNS = 'id, name, description, category, price_cents';
const FEATURED_SQL = 'SELECT ' + PRODUCT_COLUMNS + ' FROM products ' + 'WHERE active = true ORDER BY created_at DESC LIMIT 8';
const PRODUCTS_TABLE = 'products';

// GET /api/products -- all products for the storefront
router.get('/', async (_req, res) => {
  const products = await prisma.product.findMany({ where: { active: true }, orderBy: { createdAt: 'desc' } });
  res.json(products);
});

// GET /api/products/featured
router.get('/featured', async (_req, res) => {
  const { rows } = await pool.query(FEATURED_SQL);
  res.json(rows);
});

// GET /api/products/category/:category
router.get('/category/:category', async (req, res) => {
  const { rows } = await pool.query(`SELECT ${PRODUCT_COLUMNS} FROM ${PRODUCTS_TABLE} WHERE category = $1 LIMIT 50`, [req.params.category]);
  res.json(rows);
});

// GET /api/products/:id
router.get('/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'Product not found' });
  res.json(rows[0]);
});

// GET /api/products/:id/reviews?page=2&limit=20
router.get('/:id/reviews', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const skip = (Math.max(Number(req.query.page) || 1, 1) - 1) * limit;
  const reviews = await prisma.review.findMany({
    where: { productId: req.params.id },
    orderBy: { createdAt: 'desc' },
    take: limit,
    skip,
  });
  res.json({ reviews, page: skip / limit + 1 });
});

// POST /api/products/:id/reviews
router.post('/:id/reviews', requireAuth, async (req, res) => {
  const { rating, body } = req.body;
  if (typeof rating !== 'number' || rating < 1 || rating > 5 || typeof body !== 'string') {
    return res.status(400).json({ error: 'rating (1-5) and body are required' });
  }
  const product = await prisma.product.findUnique({ where: { id: req.params.id } });
  if (!product || !product.active) return res.status(404).json({ error: 'Product not found' });
  const review = await prisma.review.create({
    data: { productId: req.params.id, authorId: req.user.id, rating, body },
  });
  res.status(201).json(review);
});

export default router;
