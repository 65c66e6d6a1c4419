import { Router } from 'express';
import bcrypt from 'bcryptjs';
import { findUserByEmail, findUserById, pool } from '../db';
import { requireAuth, signToken } from '../middleware/auth';

const router = Router();

// POST /api/users/signup
router.post('/signup', async (req, res) => {
  const { email, password, displayName } = req.body;
  if (!email || !password || password.length < 8) {
    return res.status(400).json({ error: 'Email and a password of 8+ characters are required' });
  }
  const passwordHash = await bcrypt.hash(password, 12);
  const { rows } = await pool.query(
    'INSERT INTO users (id, email, password_hash, display_name) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id, email, role',
    [email.toLowerCase(), passwordHash, displayName ?? null],
  );
  res.status(201).json({ token: signToken(rows[0]) });
});

// POST /api/users/login
router.post('/login', async (req, res) => {
  const user = await findUserByEmail(req.body.email);
  if (!user || !(await bcrypt.compare(req.body.password ?? '', user.password_hash))) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  res.json({ token: signToken({ id: user.id, email: user.email, role: user.role }) });
});

// GET /api/users/me
router.get('/me', requireAuth, async (req, res) => {
  const user = await findUserById(req.user.id);
  if (!user) return res.status(404).json({ error: 'User not found' });
  const { password_hash: _omit, ...profile } = user;
  res.json(profile);
});

// PATCH /api/users/me
router.patch('/me', requireAuth, async (req, res) => {
  const sql = `UPDATE users SET display_name = '${req.body.displayName}', bio = '${req.body.bio}' WHERE id = '${req.user.id}'`;
  await pool.query(sql);
  res.json({ ok: true });
});

// GET /api/users/:id/profile -- public profile page
router.get('/:id/profile', async (req, res) => {
  const result = await pool.query("SELECT id, display_name, bio, created_at FROM users WHERE id = '" + req.params.id + "'");
  if (result.rowCount === 0) return res.status(404).json({ error: 'User not found' });
  res.json(result.rows[0]);
});

export default router;
