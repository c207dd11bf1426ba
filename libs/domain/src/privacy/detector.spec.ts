import fs from 'node:fs';
import path from 'node:path';
import { findPatientIdentifiers } from './detector';

const now = new Date('2026-12-03T10:00:00Z');
const scan = (text: string) => findPatientIdentifiers(text, { now });
const kinds = (text: string) => scan(text).map((w) => [w.kind, w.excerpt]);
/** The text as the editor leaves it after the first replacement of each warning. */
function pseudonymised(text: string): string {
  return scan(text)
    .reverse()
    .reduce((out, w) => out.slice(0, w.replacementRange.from) + w.replacements[0] + out.slice(w.replacementRange.to), text);
}

describe('dates of birth', () => {
  it('are found after « né le » and « Né le », where \\b fails next to an accent', () => {
    expect(kinds('Né le 3 mars 1948, il vit seul.')).toEqual([['birth_date', '3 mars 1948']]);
    expect(kinds('La patiente, née le 12/03/1957, est diabétique.')).toEqual([['birth_date', '12/03/1957']]);
    expect(kinds('Il est né à Sète le 5 juin 1960.')).toEqual([['birth_date', '5 juin 1960']]);
  });

  it('become an age computed at the reference date, the whole phrase replaced', () => {
    expect(pseudonymised('Né le 3 mars 1948, il vit seul.')).toBe('âgé de 78 ans, il vit seul.');
    expect(pseudonymised('La patiente, née le 12/12/1957, est diabétique.')).toBe('La patiente, âgée de 68 ans, est diabétique.');
    expect(pseudonymised('Né le 14 février 2026, il tète bien.')).toBe('âgé de 9 mois, il tète bien.');
    expect(pseudonymised('La patiente, née en 1932, vit seule.')).toBe('La patiente, âgée d’environ 94 ans, vit seule.');
  });

  it('are read in the short forms of a chart: DDN, two-digit years, day and month alone', () => {
    const [ddn] = scan('DDN : 03/03/48');
    expect([ddn.excerpt, ddn.replacements]).toEqual(['03/03/48', ['[date de naissance retirée]', '78 ans']]);
    expect(scan('Elle est née le 4 mai.')[0].replacements).toEqual(['[date de naissance retirée]']);
  });

  it('are read after the labels of a chart: « Né(e) le : », « DN : », « Date de naiss. », spaces between the numbers', () => {
    expect(kinds('Né(e) le : 12.11.1939. DN : 14/07/1962. Date de naiss. : 09/09/1999. Née le 03 03 1948.').map(([, excerpt]) => excerpt)).toEqual([
      '12.11.1939',
      '14/07/1962',
      '09/09/1999',
      '03 03 1948',
    ]);
  });

  it('are not consultation dates, nor « Renée », nor « né à 38 SA »', () => {
    expect(kinds('Vue le 12/03, revue le 12 mars 2024. Mme X. Renée le 12/03/1957 ? Né à 38 SA, ictère.')).toEqual([]);
  });
});

describe('names', () => {
  it('are found without a civility when a given name comes before a surname', () => {
    const [lucas] = scan('Le petit Lucas Moreau, 4 ans, a de la fièvre.');
    expect([lucas.kind, lucas.excerpt, lucas.replacements]).toEqual(['name', 'Lucas Moreau', ['L. M.', 'l’enfant']]);
    expect(kinds('BERTRAND Josiane, hospitalisée ; Pierre-Yves Le Goff, BPCO.')).toEqual([
      ['name', 'BERTRAND Josiane'],
      ['name', 'Pierre-Yves Le Goff'],
    ]);
    expect(kinds('Son fils Thomas Girard a appelé. La famille Meyer est venue.')).toEqual([
      ['name', 'Thomas Girard'],
      ['name', 'Meyer'],
    ]);
  });

  it('are found from an age right after two capitalised words, given name known or not', () => {
    expect(kinds('Ysaline Morvan, 8 ans, a une verrue. Pour Lucas, 4 ans, rien.')).toEqual([['name', 'Ysaline Morvan']]);
  });

  it('after a civility keep it, and are replaced by an initial', () => {
    expect(pseudonymised('Je reçois Mme Dupont et M. et Mme Colin.')).toBe('Je reçois Mme D. et M. et Mme C.');
    expect(scan('Madame Lucienne Ferrand chute.')[0].replacements).toEqual(['Madame L. F.', 'Madame X', 'la patiente']);
    // After a civility, a word that is also a holiday or a month is a surname.
    expect(kinds('M. Noël et Mme Avril attendent.')).toEqual([
      ['name', 'M. Noël'],
      ['name', 'Mme Avril'],
    ]);
  });

  it('are not clinicians, eponyms, drugs or places', () => {
    const text =
      'Mon MSU le Dr Vidal, le Pr Durand et le Dr Lucas Moreau, pédiatre, puis le docteur Faure. ' +
      'Maladie de Parkinson, Alzheimer, Basedow, Lyme, Crohn, Hashimoto, Kahler ; signe de Murphy, manœuvre de Heimlich, score de Glasgow. ' +
      'Doliprane, Kardegic, Eliquis. CHU de Nîmes, Montpellier, la Paillade, rue Jean Jaurès, hôpital Claude Bernard, Saint Jean de Védas. ' +
      'Mme X, M. D., Mme B. et l’interne.';
    expect(kinds(text)).toEqual([]);
  });

  it('keep their offsets in the intern’s text, typographic spaces and apostrophes included', () => {
    const text = 'J’ai vu Mme\u00a0Dupont à l’EHPAD.';
    const [warning] = scan(text);
    expect(text.slice(warning.from, warning.to)).toBe('Mme\u00a0Dupont');
    expect(warning.excerpt).toBe('Mme\u00a0Dupont');
  });
});

describe('numbers', () => {
  it('report personal phone numbers in every French form, not service numbers', () => {
    expect(kinds('Au 06.45.78.12.03, au 0612457890, au +33 (0)4 67 33 21 10 ou au 07-81-22-45-96.').map(([k]) => k)).toEqual(['phone', 'phone', 'phone', 'phone']);
    expect(kinds('Appeler le 15, le 112, le 3114, le 116 117, le 0 800 130 000 ou le 08 00 13 00 00 ; le centre antipoison au 04 91 75 25 25.')).toEqual([]);
    expect(kinds('Le cabinet a noté son portable, le 06 12 34 56 78.')).toEqual([['phone', '06 12 34 56 78']]);
    expect(kinds('Rappeler au 06/12/34/56/78 ; SOS Amitié au 09 72 39 40 50 ; vue le 01/02/2024 12 h.')).toEqual([['phone', '06/12/34/56/78']]);
  });

  it('report a NIR in 13 or 15 digits with its context, and a spaced NIR with a right key alone', () => {
    expect(kinds('Numéro de sécurité sociale 2540434189052 sans la clé.')).toEqual([['nir', '2540434189052']]);
    expect(kinds('Le 1 83 02 2A 004 117 15 du patient.')).toEqual([['nir', '1 83 02 2A 004 117 15']]);
    expect(scan('NIR : 2 68 11 30 189 042 20')[0].replacements).toEqual(['[NIR retiré]']);
  });

  it('report hospital identifiers, not room or bed numbers', () => {
    expect(kinds('IPP 20231456, NDA 7845123, numéro de dossier 88 451 207 ; chambre 214, lit 12.')).toEqual([
      ['hospital_id', 'IPP 20231456'],
      ['hospital_id', 'NDA 7845123'],
      ['hospital_id', 'numéro de dossier 88 451 207'],
    ]);
  });
});

describe('contacts, addresses and ages', () => {
  it('report a personal e-mail, not a service mailbox', () => {
    expect(kinds('Écrire à c.ferrand34@orange.fr, copie à secretariat.cardio@chu-montpellier.fr.')).toEqual([['email', 'c.ferrand34@orange.fr']]);
  });

  it('report a postal address with its postcode and town, not a street without a number', () => {
    expect(kinds('Elle vit 5, allée des Tilleuls 34430 Saint-Jean-de-Védas, près de la place de la Comédie.')).toEqual([
      ['address', '5, allée des Tilleuls 34430 Saint-Jean-de-Védas'],
    ]);
  });

  it('report an exact age of 90 or more, not an ordinary age nor a bound', () => {
    expect(kinds('À 94 ans elle vit seule ; lui a 78 ans, son frère 89 ans ; les plus de 90 ans sont fragiles.')).toEqual([['age', '94 ans']]);
    expect(scan('Elle a 101 ans.')[0].replacements).toEqual(['plus de 100 ans', 'plus de 90 ans']);
  });
});

describe('the scan as a whole', () => {
  it('is quiet on the RSCA of the shared fixtures', () => {
    const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
    const texts: string[] = [];
    const walk = (node: { text?: string; content?: unknown[] }) => (node.text ? texts.push(node.text) : node.content?.forEach((child) => walk(child as typeof node)));
    walk(rsca.content);
    expect(scan(texts.join('\n'))).toEqual([]);
  });

  it('gives the same warnings for the same text and date, sorted by position', () => {
    const text = 'Mme Rey, née le 17/10/1944, au 04 67 12 98 30, IPP 88412077, vit 12 rue des Lilas.';
    expect(scan(text)).toEqual(scan(text));
    expect(scan(text).map((w) => w.kind)).toEqual(['name', 'birth_date', 'phone', 'hospital_id', 'address']);
    expect(findPatientIdentifiers(text).map((w) => w.kind)).toEqual(scan(text).map((w) => w.kind));
  });
});
