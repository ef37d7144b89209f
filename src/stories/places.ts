// Place names that make a topic of kind "place": countries, regions, US states and often-reported cities.
// A data table, comma-separated; matching is on the lower-cased name.

const COUNTRIES = `afghanistan, albania, algeria, andorra, angola, argentina, armenia, australia, austria, azerbaijan,
bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan, bolivia, bosnia, botswana, brazil, brunei,
bulgaria, burkina faso, burundi, cambodia, cameroon, canada, chad, chile, china, colombia, comoros, congo, costa rica,
croatia, cuba, cyprus, czechia, czech republic, denmark, djibouti, dominica, dominican republic, ecuador, egypt,
el salvador, eritrea, estonia, eswatini, ethiopia, fiji, finland, france, gabon, gambia, georgia, germany, ghana, greece,
greenland, grenada, guatemala, guinea, guyana, haiti, honduras, hungary, iceland, india, indonesia, iran, iraq, ireland,
israel, italy, ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kosovo, kuwait, kyrgyzstan, laos, latvia, lebanon,
lesotho, liberia, libya, liechtenstein, lithuania, luxembourg, madagascar, malawi, malaysia, maldives, mali, malta,
mauritania, mauritius, mexico, moldova, monaco, mongolia, montenegro, morocco, mozambique, myanmar, burma, namibia, nepal,
netherlands, new zealand, nicaragua, niger, nigeria, north korea, south korea, korea, norway, oman, pakistan, palestine,
panama, paraguay, peru, philippines, poland, portugal, qatar, romania, russia, rwanda, saudi arabia, senegal, serbia,
sierra leone, singapore, slovakia, slovenia, somalia, south africa, south sudan, spain, sri lanka, sudan, suriname, sweden,
switzerland, syria, taiwan, tajikistan, tanzania, thailand, togo, tonga, trinidad, tunisia, turkey, turkmenistan, uganda,
ukraine, united arab emirates, uae, united kingdom, uk, britain, great britain, england, scotland, wales, northern ireland,
united states, usa, america, uruguay, uzbekistan, venezuela, vietnam, yemen, zambia, zimbabwe, gaza, west bank, crimea,
europe, asia, africa, latin america, middle east, arctic, antarctica, caribbean, kashmir, tibet, hong kong, macau`;

const US_STATES = `alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, hawaii, idaho,
illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan, minnesota, mississippi,
missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, new york, north carolina, north dakota, ohio,
oklahoma, oregon, pennsylvania, rhode island, south carolina, south dakota, tennessee, texas, utah, vermont, virginia,
washington, west virginia, wisconsin, wyoming`;

const CITIES = `london, paris, berlin, madrid, rome, moscow, kyiv, kiev, beijing, shanghai, tokyo, seoul, delhi, new delhi,
mumbai, karachi, islamabad, lahore, kabul, tehran, baghdad, damascus, beirut, jerusalem, tel aviv, cairo, istanbul, ankara,
athens, brussels, amsterdam, vienna, warsaw, prague, budapest, stockholm, oslo, copenhagen, helsinki, dublin, lisbon,
geneva, zurich, dubai, riyadh, doha, nairobi, lagos, johannesburg, cape town, sydney, melbourne, toronto, montreal,
vancouver, ottawa, mexico city, havana, caracas, bogota, lima, santiago, buenos aires, sao paulo, rio de janeiro,
los angeles, san francisco, chicago, houston, miami, boston, atlanta, seattle, detroit, philadelphia, dallas, denver,
las vegas, new orleans, phoenix, singapore, bangkok, jakarta, manila, hanoi, taipei, pyongyang, vatican, hollywood,
brooklyn, manhattan, sinaloa`;

const PLACE_NAMES: ReadonlySet<string> = new Set(
  [COUNTRIES, US_STATES, CITIES].flatMap((list) => list.split(',').map((s) => s.trim().replace(/\s+/g, ' '))),
);

/** True when the name is a country, region, US state or well-known city. */
export function isPlaceName(name: string): boolean {
  return PLACE_NAMES.has(name.toLowerCase().replace(/\./g, '').trim());
}
