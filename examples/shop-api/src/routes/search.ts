import { Router } from 'express';
import { pool } from '../db';
import { prisma } from '../prisma';

const router = Router();

const ALLOWED_SORTS = ['name', 'price_cents', 'created_at'] as const;
type SortColumn = (typeof ALLOWED_SORTS)[number];

// GET /api/search?q=shoes
router.get('/', async (req, res) => {
  const { rows } = await pool.query(`SELECT * FROM products WHERE name ILIKE '%${req.query.q}%' LIMIT 50`);
  res.json(rows);
});

// GET /api/search/suggest?q=sh -- typeahead
router.get('/suggest', async (req, res) => {
  const prefix = `${String(req.query.q ?? '')}%`;
  const names = await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM products WHERE name ILIKE ${prefix} ORDER BY name LIMIT 10`;
  res.json(names.map((n) => n.name));
});

// GET /api/search/browse?category=shoes&sort=price_cents
router.get('/browse', async (req, res) => {
  const sort = String(req.query.sort ?? 'created_at') as SortColumn;
  if (!ALLOWED_SORTS.includes(sort)) {
    return res.status(400).json({ error: `sort must be one of ${ALLOWED_SORTS.join(', ')}` });
  }
  const { rows } = await pool.query(`SELECT id, name, price_cents FROM products WHERE category = $1 ORDER BY ${sort} LIMIT 50`, [req.query.category]);
  res.json(rows);
});

export default router;
