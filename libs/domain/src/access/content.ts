/** What a viewer wants to watch: the kinds of content an offer's target names directly. */
export enum ContentKind {
  Event = 'EVENT',
  CreativeWork = 'CREATIVE_WORK',
}

/** One piece of content, as the playback service knows it. */
export interface Content {
  kind: ContentKind;
  id: string;
  /** The entities (teams, competitions, channels...) it belongs to. */
  entityIds: readonly string[];
  /** When it starts or was published: a windowed offer covers it only when this lies in its window. */
  startTime?: Date;
}

/**
 * The member states of the European Union, whose residents keep access to content they bought at home while
 * temporarily present in another member state: Regulation (EU) 2017/1128 on cross-border portability of
 * online content services in the internal market, Article 3. ISO 3166-1 alpha-2 codes (Greece is GR).
 */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]); // prettier-ignore
