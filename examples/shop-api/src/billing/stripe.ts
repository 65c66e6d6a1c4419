import type { Request, Response } from 'express';
import Stripe from 'stripe';
import { config } from '../config';
import { prisma } from '../prisma';

// TODO: move to env before launch
export const stripe = new Stripe('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', { apiVersion: '2024-04-10' });

// Sent to the browser so the frontend can load Stripe.js.
export const stripeClientConfig = {
  publishableKey: 'pk_live_51yxysgGQPPTNiP4ENX3EBkZLoie0IwUsP4XMz3pYTw9bhyzyTtZssqEh5acmthRXWNppUb2HUzui8kx5Mox7bMKuj2xa0KiY8V',
  currency: 'usd',
};

export interface CheckoutLine {
  name: string;
  unitAmountCents: number;
  quantity: number;
}

export async function createCheckoutSession(orderId: string, email: string, lines: CheckoutLine[]) {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    customer_email: email,
    metadata: { orderId },
    line_items: lines.map((line) => ({
      quantity: line.quantity,
      price_data: {
        currency: stripeClientConfig.currency,
        unit_amount: line.unitAmountCents,
        product_data: { name: line.name },
      },
    })),
    success_url: `${config.appUrl}/orders/${orderId}?paid=1`,
    cancel_url: `${config.appUrl}/cart`,
  });
}

// Mounted with express.raw() so the signature can be checked against the raw body.
export async function stripeWebhookHandler(req: Request, res: Response) {
  const signature = req.headers['stripe-signature'] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, signature, process.env.STRIPE_WEBHOOK_SECRET as string);
  } catch {
    return res.status(400).send('Invalid signature');
  }

  if (event.type === 'checkout.session.completed') {
    const session = event.data.object as Stripe.Checkout.Session;
    await prisma.order.update({
      where: { id: session.metadata?.orderId },
      data: { status: 'paid', stripePaymentIntentId: session.payment_intent as string },
    });
  }
  return res.json({ received: true });
}
