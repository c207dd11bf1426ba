import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './given-names';
import { fold, wordSet } from './text';

const FEMALE = /* @__PURE__ */ wordSet(FEMALE_GIVEN_NAMES);
const MALE = /* @__PURE__ */ wordSet(MALE_GIVEN_NAMES);

export type Gender = 'f' | 'm' | 'unknown';

/** Whether a word is a given name; a compound (Marie-Solène) is one when each part is. */
export function isGivenName(word: string): boolean {
  return isGivenNameKey(fold(word));
}

/** The same, for a word already folded (lower case, no accents). */
export function isGivenNameKey(folded: string): boolean {
  if (FEMALE.has(folded) || MALE.has(folded)) return true;
  const parts = folded.split('-');
  return parts.length > 1 && parts.every((part) => FEMALE.has(part) || MALE.has(part));
}

export function givenNameGender(word: string): Gender {
  const folded = fold(word);
  const first = FEMALE.has(folded) || MALE.has(folded) ? folded : folded.split('-')[0];
  const female = FEMALE.has(first);
  const male = MALE.has(first);
  return female && !male ? 'f' : male && !female ? 'm' : 'unknown';
}

/**
 * Capitalised words that are not surnames in a trace, though they follow a given name or a
 * civility now and then: eponymous diseases, signs and scores; drugs; places and institutions
 * of the region; calendar words. They keep « Léa Parkinson » out of a sentence like « Léa,
 * Parkinson… » and a brand after a name from being read as its surname.
 */
const NOT_SURNAMES = /* @__PURE__ */ wordSet(`
  Parkinson Alzheimer Basedow Graves Lyme Crohn Hashimoto Kahler Murphy Heimlich Glasgow Cushing
  Addison Raynaud Horton Charcot Babinski Lasègue Wells Centor Child Pugh Guillain Barré Gougerot
  Sjögren Hodgkin Kaposi Marfan Ehlers Danlos Willebrand Dupuytren Quervain Osgood Schlatter
  Scheuermann Paget Menière Ménière Tinel Phalen Finkelstein Trendelenburg Homans Rovsing McBurney
  Blumberg Kernig Brudzinski Romberg Apgar Silverman Tanner Fagerström Folstein Braden Norton
  Tinetti Zarit Balint Maslow Calgary Cambridge Hallpike Epley Valsalva Holter Doppler Guthrie
  Papanicolaou Korotkoff Cheyne Stokes Kussmaul Virchow Wernicke Korsakoff Tourette Asperger
  Kawasaki Lyell Behçet Wegener Takayasu Fallot Brugada Mallory Zollinger Ellison Whipple Meckel
  Hirschsprung Reye Sézary Waldenström Biermer Gaucher Fabry Huntington Creutzfeldt Jakob Duchenne
  Steinert Angelman Prader Willi Noonan DiGeorge Patau Klinefelter Turner Bouveret Barlow Conn
  Gerstmann Bartter Gitelman Sheehan Simmonds Schwartz Bartholin Skene
  Trousseau Chvostek Likert Karnofsky Lawton Mini Fine Tanner
  Doliprane Dafalgan Efferalgan Kardegic Eliquis Xarelto Pradaxa Préviscan Coumadine Lasilix
  Modopar Sinemet Levothyrox Crestor Tahor Inexium Mopral Spasfon Seresta Lexomil Xanax Stilnox
  Imovane Deroxat Seroplex Prozac Zoloft Lantus Novorapid Humalog Toujeo Trulicity Ozempic Januvia
  Glucophage Stagid Diamicron Amarel Augmentin Clamoxyl Orelox Ventoline Seretide Symbicort
  Spiriva Prevenar Salagen Atarax Aerius Zyrtec Voltarène Advil Nurofen Spedifen Ixprim Tramadol
  Topalgic Skenan Actiskenan Oxynorm Durogesic Lyrica Neurontin Laroxyl Dépakine Keppra Lamictal
  Risperdal Zyprexa Abilify Tercian Haldol Loxapac Temesta Lysanxia Atacand Cozaar Coversyl
  Triatec Amlor Tenormin Détensiel Kenzen Aprovel Lercan Cardensiel Bisoce Plavix Duoplavin
  Brilique Kaletra Gaviscon Smecta Tiorfan Imodium Forlax Movicol Duphalac Dulcolax Motilium
  Primpéran Vogalène Solupred Cortancyl Medrol Célestène Bactrim Oflocet Ciflox Monuril Furadantine
  Daktarin Pevaryl Fucidine Biafine Bétadine Dexeryl Cicalfate Mitosyl Uvedose Zymad Cacit Calcidose
  Fosamax Forsteo Prolia Aricept Ebixa Reminyl Exelon Nicopatch Champix Subutex Méthadone
  Montpellier Nîmes Béziers Sète Lunel Lodève Ganges Lattes Perpignan Narbonne Carcassonne Alès
  Agde Pézenas Frontignan Mauguio Castelnau Castelnau-le-Lez Clermont-l'Hérault Paillade Mosson
  Figuerolles Antigone Celleneuve Lapeyronie Gui-de-Chauliac Arnaud-de-Villeneuve Saint-Éloi
  Caremeau Toulouse Marseille Lyon Paris Bordeaux Nice Lille Nantes Strasbourg Rennes Grenoble
  Avignon Arles Hérault Gard Aude Lozère Occitanie Cévennes Corbières Camargue Provence France
  Maroc Algérie Tunisie Portugal Espagne Italie Ukraine Sénégal Mali Europe
  Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars Avril Mai Juin Juillet
  Août Septembre Octobre Novembre Décembre Noël Pâques Toussaint Pentecôte Ramadan
  Santé Maladie Assurance Travail Publique Info Infos Service Services Médecins Urgences Hôpital
  Clinique Centre Université Faculté Croix Rouge Sécurité Sociale Vitale Prescrire Cochrane
  Docteur Professeur Madame Monsieur Mademoiselle Dr Dre Pr Interne
`);

export function isNotSurname(word: string): boolean {
  return NOT_SURNAMES.has(fold(word));
}

export function isNotSurnameKey(folded: string): boolean {
  return NOT_SURNAMES.has(folded);
}

/** Upper-case words that are abbreviations of the trade, never a surname in capitals. */
const ABBREVIATIONS = /* @__PURE__ */ wordSet(`
  HTA BPCO ECG EEG EMG EFR IRM TDM RX ORL HAS EHPAD EHPA USLD SSR HDJ SAMU SMUR SAU CHU CHR CH
  ALD AVC AIT IDM SCA OAP TVP EP FA IC IRC DFG IDE IPA MSU RSCA GEPT DMG DUMG DES CMP CMPP PMI HAD
  SSIAD MDPH CPAM CAF ARS CRIP TDR CRP INR PSA MMSE GIR AGGIR IMC SA SOS NFS TSH VS IPP NDA NIR
  DDN SMS RDV IVG IST VIH VHC VHB HPV BCG ROR DTP SOPK TCA TSA TDAH RCP CR PA OK NB RAS ATCD TTT
  CAT SDF AAH RSA APA AINS IPP IEC ARA BB AVK AOD HBPM PPC SAOS UI MG MT VAD AVP AT MP ITT UMJ
  SOS SNCF RATP EDF CAF CCAS MSA RSI DASRI OMS ANSM INPES INSERM CNIL RGPD
`);

export function isAbbreviationKey(folded: string): boolean {
  return ABBREVIATIONS.has(folded);
}

/** « Mme X », « M. XX »: the usual placeholders, not names. */
export const PLACEHOLDERS = /* @__PURE__ */ wordSet('X XX XXX Y YY Z ZZ XY ABC NN');
