import { describe, expect, it } from 'vitest';
import { callLink, mapAppLink, webMapLink } from '../../src/app/contact-links';

describe('contact links', () => {
  it('opens the map app on the address, as a geo: search, and a web map beside it', () => {
    expect(mapAppLink(' 杭州市西湖区文三路 90 号 ')).toBe(`geo:0,0?q=${encodeURIComponent('杭州市西湖区文三路 90 号')}`);
    expect(mapAppLink('A&B #3')).toBe('geo:0,0?q=A%26B%20%233');
    expect(webMapLink('文三路 90 号')).toBe(`https://uri.amap.com/search?keyword=${encodeURIComponent('文三路 90 号')}`);
  });

  it('gives no map link without an address', () => {
    expect(mapAppLink('')).toBeNull();
    expect(mapAppLink('   ')).toBeNull();
    expect(webMapLink(' ')).toBeNull();
  });

  it('calls the number without the spaces tel: does not allow, keeping + only in front', () => {
    expect(callLink('0571-8888 0000')).toBe('tel:0571-88880000');
    expect(callLink('+86 (571) 8888 0000')).toBe('tel:+86(571)88880000');
    expect(callLink('138 0000 0000')).toBe('tel:13800000000');
    expect(callLink('1+2')).toBe('tel:12');
  });

  it('gives no call link without a digit', () => {
    expect(callLink('')).toBeNull();
    expect(callLink(' - ')).toBeNull();
  });
});
