// Places news names that are not countries (countries come from world-countries, see gazetteer.ts):
// regions and territories, US states, Canadian provinces, Australian states and often-reported cities.
// A data table, comma-separated; matching is on the lower-cased name.

const REGIONS = `gaza, gaza strip, west bank, crimea, donbas, kashmir, jammu and kashmir, tibet, xinjiang, hong kong, macau,
europe, asia, africa, latin america, south america, north america, middle east, arctic, antarctica, caribbean, balkans,
scandinavia, siberia, sahel, darfur, kurdistan, golan heights, sinai, punjab, gulf of mexico, red sea, black sea,
south china sea, mediterranean, english channel, england, scotland, wales, northern ireland, greenland, puerto rico`;

const US_STATES = `alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, hawaii, idaho,
illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan, minnesota, mississippi,
missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, new york state, north carolina, north dakota, ohio,
oklahoma, oregon, pennsylvania, rhode island, south carolina, south dakota, tennessee, texas, utah, vermont, virginia,
west virginia, wisconsin, wyoming`;

const PROVINCES = `alberta, british columbia, manitoba, new brunswick, newfoundland, nova scotia, ontario, quebec, saskatchewan,
new south wales, queensland, victoria, tasmania, western australia, south australia`;

const CITIES = `new york, new york city, los angeles, san francisco, chicago, houston, miami, boston, atlanta, seattle, detroit,
philadelphia, dallas, denver, las vegas, new orleans, phoenix, newark, brooklyn, manhattan, hollywood, silicon valley,
moscow, st petersburg, paris, berlin, munich, madrid, barcelona, rome, milan, kyiv, kharkiv, odesa, lahore, karachi,
rawalpindi, mumbai, kolkata, bengaluru, shanghai, hong kong, tel aviv, gaza city, rafah, khan younis, istanbul, dubai,
toronto, montreal, vancouver, sydney, melbourne, sao paulo, rio de janeiro, geneva, zurich, davos, cannes, glasgow,
manchester, liverpool, birmingham, edinburgh, belfast, jerusalem, sinaloa, tijuana, mexico city, naples, venice`;

/** Every name of the tables above, lower case. */
export const REGIONS_AND_CITIES: readonly string[] = [REGIONS, US_STATES, PROVINCES, CITIES].flatMap((list) =>
  list.split(',').map((s) => s.trim().replace(/\s+/g, ' ')),
);
