/**
 * TOTP enrolment shows a QR code drawn in the page. The test rasterises the on-screen SVG
 * in Chromium, decodes it with an independent reader (jsQR), computes the one-time code
 * from the decoded secret as an authenticator app would, and confirms the enrolment
 * with it. The next unlock then asks for a code.
 */
import jsQR from 'jsqr';
import { totp } from '../../src-main/vault/totp';
import { createVaultInUi, expect, test } from './harness';

test('the QR code scans to a secret that enrols the second factor', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Set up one-time code' }).click();
  const qr = page.getByRole('img', { name: 'QR code of the one-time code secret' });
  await expect(qr).toBeVisible();
  await qr.screenshot({ path: testInfo.outputPath('totp-qr.png') });

  const raster = await qr.evaluate(async (svg) => {
    const side = 400;
    const image = new Image();
    const source = new XMLSerializer().serializeToString(svg);
    image.src = `data:image/svg+xml;base64,${btoa(source)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(image, 0, 0, side, side);
    return { side, rgba: Array.from(context.getImageData(0, 0, side, side).data) };
  });
  const decoded = jsQR(Uint8ClampedArray.from(raster.rgba), raster.side, raster.side);
  expect(decoded?.data).toMatch(
    /^otpauth:\/\/totp\/VulnZero%3Aalice\?secret=[A-Z2-7]+&issuer=VulnZero/,
  );
  const secret = new URL(decoded?.data ?? '').searchParams.get('secret') ?? '';
  await expect(page.locator('code').first()).toHaveText(secret);

  await page.getByLabel('Code from the authenticator').fill(totp(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('One-time code enabled')).toBeVisible();
});
