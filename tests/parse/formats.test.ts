// parseFeed (and normalising) on real documents of each format, from ../shared/datasets/feeds.
import { describe, expect, it } from 'vitest';
import { normalizeFeedTitle, normalizeItems } from '../../src/normalize/index.js';
import { parseFeed } from '../../src/parse/index.js';
import { readFeed } from './corpus.js';

const NOW = new Date('2030-01-01T00:00:00Z');

/** The parsed feed, its title as the store gets it (parse keeps the feed's HTML; normalising makes it text). */
async function load(path: string) {
  const feed = await parseFeed(readFeed(path));
  return { ...feed, title: normalizeFeedTitle(feed.title) };
}

async function loadItems(path: string, feedUrl = 'https://feeds.example.org/feed.xml') {
  return normalizeItems(await load(path), { feedUrl, now: NOW, maxItems: 1000 });
}

describe('parseFeed on real documents', () => {
  it('RSS 2.0 (The Guardian, world)', async () => {
    const feed = await load('real/guardian/prettyparser-world-2016.xml');
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'World news | The Guardian',
      siteUrl: 'https://www.theguardian.com/world',
    });
    expect(feed.items).toHaveLength(95);
    const [first] = await loadItems('real/guardian/prettyparser-world-2016.xml');
    expect(first).toMatchObject({
      key: 'https://www.theguardian.com/world/2016/jun/14/french-police-officer-wife-murdered-larossi-abballa-isis',
      title: "French police officer and partner murdered in 'odious terrorist attack'",
      author: 'Angelique Chrisafis in Paris and Kim Willsher in Magnanville',
      publishedAt: new Date('2016-06-14T11:45:52Z'),
      dateEstimated: false,
      categories: ['France', 'Paris', 'Islamic State', 'Paris attacks', 'Charlie Hebdo attack', 'World news', 'Europe'],
    });
    expect(first!.imageUrl).toMatch(/^https:\/\/i\.guim\.co\.uk\/img\/media\/2a511963/);
    expect(first!.summary).toMatch(/^Convicted terrorist Larossi Abballa fatally stabbed couple/);
  });

  it('RSS 2.0 schedule hints (<ttl>)', async () => {
    expect((await load('real/bbc/photojournalism-bbc-2016.xml')).hints.ttlMinutes).toBe(15);
  });

  it('Atom 1.0 (Vox): alternate link, author, published and updated', async () => {
    const feed = await load('real/atom/prettyparser-vox-2016.xml');
    expect(feed).toMatchObject({ format: 'atom', title: 'Vox - All', siteUrl: 'http://www.vox.com/' });
    expect(feed.items).toHaveLength(30);
    expect(feed.items[0]).toMatchObject({
      guid: 'http://www.vox.com/2016/6/14/11925278/trump-speech-muslims',
      link: 'http://www.vox.com/2016/6/14/11925278/trump-speech-muslims',
      author: 'Jennifer Williams',
      published: '2016-06-14T14:20:03-04:00',
      updated: '2016-06-14T14:20:03-04:00',
    });
  });

  it('Atom 0.3 with Dublin Core and the syndication module', async () => {
    const feed = await load('real/atom03/rome-atom_0.3_DC_Sy.xml');
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'atom_0.3.feed.title',
      hints: { updatePeriod: 'hourly', updateFrequency: 100 },
    });
    expect(feed.items[0]).toMatchObject({
      guid: 'atom_0.3.feed.entry[0]^id',
      link: 'atom_0.3.feed.entry[0].link^href',
      author: 'atom_0.3.feed.entry[0].dc:creator',
      categories: ['atom_0.3.feed.entry[0].dc:subject[0]', 'atom_0.3.feed.entry[0].dc:subject[1]'],
    });
  });

  it('RSS 1.0 / RDF (Deutsche Welle, Chinese)', async () => {
    const feed = await load('real/dw/greatfire-dw-chinese-rdf-2015.xml');
    expect(feed).toMatchObject({
      format: 'rdf',
      title: 'Deutsche Welle: DW-WORLD.DE',
      hints: { updatePeriod: 'hourly' },
    });
    expect(feed.items).toHaveLength(85);
    expect(feed.items[0]).toMatchObject({
      title: '格林沃尔德获德国新闻记者奖',
      published: '2015-03-15T16:44:00Z',
      categories: ['德国新闻'],
    });
  });

  it('RDF with markup in its titles (craigslist): decoded once into plain text', async () => {
    const [first] = await loadItems('rss-parser-inputs/rss-parser/craigslist.rss');
    expect(first!.title).toBe('Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2');
  });

  it('RSS 0.91 (Washington Post) and RSS 0.91 skipHours/skipDays', async () => {
    const wapo = await load('real/washingtonpost/newsisfree-wapo-world-rss091.xml');
    expect(wapo).toMatchObject({ format: 'rss', title: 'Washington Post: World News' });
    expect(wapo.items[0]).toMatchObject({
      title: 'Georgia Says Russian Tanks Violated Truce',
      link: 'http://www.newsisfree.com/iclick/i,301688903,2088,f/',
    });
    const sample = await load('real/rss09x/feedreader-Rss091FullSample.xml');
    expect(sample.hints).toMatchObject({ skipHours: [6, 7, 8, 9, 10, 11], skipDays: ['Sunday'] });
  });

  it('RSS 0.92 <source> names the publisher', async () => {
    const feed = await load('real/rss09x/feedreader-Rss092FullSample.xml');
    expect(feed.items[1]).toMatchObject({
      sourceName: 'Scripting News',
      sourceUrl: 'http://scriptingnews.userland.com/xml/scriptingNews2.xml',
    });
  });

  it('JSON Feed 1.0', async () => {
    const feed = await load('real/jsonfeed/feedjira-json_feed.json');
    expect(feed).toMatchObject({ format: 'json', title: 'inessential.com', siteUrl: 'http://inessential.com/' });
    expect(feed.items).toHaveLength(20);
    expect(feed.items[0]).toMatchObject({
      guid: 'http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi',
      title: 'James Dempsey and the Breakpoints Benefit App Camp for Girls',
      author: 'Brent Simmons',
      published: '2017-06-02T22:05:47-07:00',
    });
  });

  it('JSON Feed 1.1: authors, tags, image, summary, date_modified', async () => {
    const feed = await load('real/jsonfeed/feedjira-json_feed_with_escaped_uris.json');
    expect(feed.items[0]).toMatchObject({
      link: 'https://lukedorny.com/updates/new-font',
      summaryHtml: 'A Journey with links',
      author: 'Author: Luke, most likely.',
      updated: '2025-01-06T20:02:25-05:00',
      categories: ['Design'],
      imageUrl: 'https://lukedorny.com/media/pages/updates/new-font/4d77b179bd-1736211467/asketch1-500x-crop.jpg',
    });
  });

  it('xml:base on the entry content (Daring Fireball)', async () => {
    const feed = await load('real/xmlbase/nnw-DaringFireball.atom');
    expect(feed.items[0]).toMatchObject({
      link: 'https://daringfireball.net/thetalkshow/2017/06/26/ep-195',
      baseUrl: 'https://daringfireball.net/linked/',
      author: 'John Gruber',
    });
  });

  it('xml:base on <rss> and on the item resolves links and embedded HTML', async () => {
    const [item] = await loadItems('real/xmlbase/nodefeedparser-rss-with-relative-html-urls.xml');
    expect(item!.url).toBe('https://example.com/posts/posts/post-1');
    expect(item!.contentHtml).toContain('href="https://example.com/posts/post-1"');
    expect(item!.contentHtml).toContain('href="https://example.com/posts/post-1#comments"');
    expect(item!.contentHtml).toContain('src="https://example.com/images/post-1.png"');
    expect(item!.contentHtml).not.toContain('srcset');
  });

  it('broken dates: "2019-01-25 00:00:00" on every item is still read', async () => {
    const items = await loadItems('real/broken-dates/feeder-rss_nixers_newsletter.xml');
    expect(items).toHaveLength(111);
    expect(items.every((i) => !i.dateEstimated)).toBe(true);
    expect(items[0]!.publishedAt).toEqual(new Date('2019-01-25T00:00:00Z'));
  });

  it('broken dates: localised weekdays and months are read', async () => {
    const [item] = await loadItems('real/broken-dates/feedrs-rss_2.0_ilmessaggero.xml');
    expect(item!.dateEstimated).toBe(false);
    expect(item!.publishedAt.getUTCFullYear()).toBe(2022);
  });

  it('Google News: the publisher comes from <source> and leaves the title', async () => {
    const feed = await load('real/mediarss/prof18-feed-test-source.xml');
    expect(feed.items[0]).toMatchObject({
      sourceName: 'RTBF',
      sourceUrl: 'https://www.rtbf.be',
      guid: '52782335008021',
    });
    const [item] = await loadItems('real/mediarss/prof18-feed-test-source.xml');
    expect(item!.title).toBe(
      'Coronavirus en Belgique: 200 cas détectés au total, un nombre limité de tests effectués par manque de réactifs',
    );
    expect(item!.outletName).toBe('RTBF');
  });

  it('Media RSS: media:thumbnail gives the image (BBC Ukrainian)', async () => {
    const feed = await load('real/bbc/den92-bbc-ukrainian-2016-noprolog.xml');
    expect(feed.items.every((i) => i.imageUrl !== null)).toBe(true);
    expect(feed.items[0]!.imageUrl).toBe(
      'http://a.files.bbci.co.uk/worldservice/live/assets/images/2014/10/23/141023135321_gmail_application_mobile_144x81_google_nocredit.jpg',
    );
  });

  it('Media RSS in Atom: media:group thumbnails (YouTube, Al Jazeera)', async () => {
    const feed = await load('real/aljazeera/gesab-aljazeera-english-youtube-atom.xml');
    expect(feed.items).toHaveLength(15);
    expect(feed.items[0]!.imageUrl).toBe('https://i1.ytimg.com/vi/d6yrtGStsI4/hqdefault.jpg');
  });

  it('Media RSS: the widest media:content image wins', async () => {
    const body = `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><guid>1</guid>
      <media:content url="https://i.example/small.jpg" medium="image" width="140"/>
      <media:content url="https://i.example/video.mp4" medium="video" width="1920"/>
      <media:content url="https://i.example/large.jpg" type="image/jpeg" width="1024"/>
      <media:thumbnail url="https://i.example/thumb.jpg"/></item></channel></rss>`;
    expect((await parseFeed(body)).items[0]!.imageUrl).toBe('https://i.example/large.jpg');
  });

  it('images from enclosures, Atom enclosure links and itunes:image', async () => {
    const rss = await parseFeed(`<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
      <item><guid>1</guid><enclosure url="https://i.example/a.mp3" type="audio/mpeg"/><enclosure url="https://i.example/a.png" type="image/png"/></item>
      <item><guid>2</guid><itunes:image href="https://i.example/cover.jpg"/></item></channel></rss>`);
    expect(rss.items.map((i) => i.imageUrl)).toEqual(['https://i.example/a.png', 'https://i.example/cover.jpg']);
    const atom = await parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>
      <link rel="enclosure" type="image/jpeg" href="https://i.example/e.jpg"/><link href="https://e.example/post"/></entry></feed>`);
    expect(atom.items[0]).toMatchObject({ imageUrl: 'https://i.example/e.jpg', link: 'https://e.example/post' });
  });

  it('prefixed Atom (<a:feed>) reads like plain Atom', async () => {
    const feed = await load('real/atom/nodefeedparser-nondefaultnamespace.atom');
    expect(feed.format).toBe('atom');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.title).not.toBeNull();
  });

  it('Atom XHTML content keeps its element order', async () => {
    const feed = await parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>bold</b> world</p><ul><li>x</li></ul><p>end &amp; more</p></div></content></entry></feed>`);
    expect(feed.items[0]!.contentHtml).toBe(
      '<div><p>Hello <b>bold</b> world</p><ul><li>x</li></ul><p>end &amp; more</p></div>',
    );
  });

  it('unescaped HTML inside an RSS description is kept as HTML, in order', async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><item><guid>1</guid><title>Hello <b>World</b>!</title><description>a <p>b <i>c</i></p> d</description></item></channel></rss>',
    );
    expect(feed.items[0]).toMatchObject({ title: 'Hello <b>World</b>!', summaryHtml: 'a <p>b <i>c</i></p> d' });
  });

  it('feedburner:origLink is preferred to the tracking link', async () => {
    const feed = await load('real/mediarss/nodefeedparser-illegally-nested.xml');
    expect(feed.items[0]!.link).toBe('http://www.pcmag.com/article2/0,2817,2525649,00.asp?kc=PCRSS03079TX1K0000584');
  });

  it('sy:updatePeriod and sy:updateFrequency (craigslist RDF)', async () => {
    expect((await load('rss-parser-inputs/rss-parser/craigslist.rss')).hints).toMatchObject({
      updatePeriod: 'hourly',
      updateFrequency: 6,
    });
  });
});
