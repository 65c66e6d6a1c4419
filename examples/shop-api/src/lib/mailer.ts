// Transactional email through the SendGrid v3 API.
const SENDGRID_API_KEY = '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';
const FROM_ADDRESS = 'orders@shop.example.com';

export async function sendMail(to: string, subject: string, html: string): Promise<void> {
  const response = await fetch('https://api.sendgrid.com/v3/mail/send', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${SENDGRID_API_KEY}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      personalizations: [{ to: [{ email: to }] }],
      from: { email: FROM_ADDRESS, name: 'Shop' },
      subject,
      content: [{ type: 'text/html', value: html }],
    }),
  });
  if (!response.ok) {
    throw new Error(`SendGrid responded ${response.status}`);
  }
}

export function sendOrderConfirmation(to: string, orderId: string, totalCents: number) {
  const total = (totalCents / 100).toFixed(2);
  return sendMail(to, `Order ${orderId} confirmed`, `<p>Thanks! Your order total is $${total}.</p>`);
}
