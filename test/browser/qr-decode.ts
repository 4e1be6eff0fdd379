// Reads a QR code as a phone's camera would: from the pixels of a screenshot, decoded by jsQR, a
// reader that shares no code with the encoder. The PNG is decoded to RGBA by the browser itself, in a
// blank page of its own (no page's Content-Security-Policy in the way).
import jsQR from 'jsqr';
import type { BrowserContext, Locator } from 'playwright-core';

export async function decodeQr(context: BrowserContext, code: Locator): Promise<string> {
  const png = await code.screenshot();
  const decoder = await context.newPage();
  try {
    const { width, height, rgba } = await decoder.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context2d = canvas.getContext('2d')!;
      context2d.drawImage(bitmap, 0, 0);
      const data = context2d.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let binary = '';
      for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { width: bitmap.width, height: bitmap.height, rgba: btoa(binary) };
    }, png.toString('base64'));
    const decoded = jsQR(new Uint8ClampedArray(Buffer.from(rgba, 'base64')), width, height);
    if (!decoded) throw new Error(`no QR code could be read from the ${width}×${height} screenshot`);
    return decoded.data;
  } finally {
    await decoder.close();
  }
}

/** Pages in a PDF Chromium printed: its page objects (Skia writes them uncompressed). */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}
