/**
 * A small library written for the retrieval tests (public-domain style: our own prose), with
 * questions whose answering passage is known: `answer` is a phrase found only in that passage.
 * Questions are worded as a user would ask, not copied from the text.
 */

export interface CorpusDocument {
  name: string;
  text: string;
}

export interface CorpusQuestion {
  question: string;
  document: string;
  answer: string;
}

const LIGHTHOUSE = `# The Keeper of Gull Point

## Arrival

Martha Wren came to Gull Point lighthouse in the spring of 1887, after her husband drowned off the shoals. The inspector doubted that a widow could tend the lamp alone, but she had kept it burning for three winters while her husband was ill.

The keeper's cottage had two rooms and a kitchen that smelled of whale oil. Martha planted potatoes and cabbages in the sandy yard behind it, and a goat named Juniper gave milk for her porridge.

## The Lamp

The lamp burned lard oil until 1892, when the lighthouse board sent kerosene instead. Kerosene burned brighter but frightened Martha, who kept a bucket of sand beside the lantern room door in case of fire.

Every evening at sunset she climbed the ninety-two iron steps to light the wick. Every morning she trimmed it, polished the brass, and drew the linen curtains so the sun would not crack the Fresnel lens.

## The Storm of 1898

In November 1898 a gale drove the schooner Abigail Pratt onto the ledge below the point. Martha rowed out twice in the surf and brought back four sailors, one of them with a broken arm that she set with a barrel stave.

The Humane Society gave her a silver medal for the rescue. She kept it in a biscuit tin under her bed and showed it to nobody but the schoolteacher.

## Later Years

A fog signal was added in 1903: a steam whistle that needed coal shovelled every hour in thick weather. Martha hired a boy from the village, Tobias Keel, to help her with the boiler.

She retired in 1915 at the age of seventy and moved to her sister's farm inland. She said the silence there kept her awake, so she slept with a seashell on her pillow.
`;

const BREAD = `# A Baker's Notebook

## Starter

A sourdough starter is flour and water left to ferment until wild yeast and bacteria settle in. Feed it equal weights of rye flour and water every morning for a week before you bake with it.

If a grey liquid collects on top, the starter is hungry, not spoiled. Pour the liquid off or stir it back in, and feed the starter sooner next time.

## Mixing and Folding

Mix the flour and water first and let them rest for forty minutes before adding salt; bakers call this rest the autolyse. It lets the gluten form with no kneading at all.

Instead of kneading, stretch and fold the dough four times, half an hour apart. Wet your hands so the dough does not stick, and lift each side over the middle.

## Proofing

Shape the loaf into a tight ball and leave it to rise in a basket lined with a floured cloth. A cold proof overnight in the refrigerator gives a sourer taste and a crust that blisters.

To check the proof, press the dough with a floured finger. If the dent springs back slowly and not completely, the loaf is ready for the oven.

## Baking

Bake in a heavy cast iron pot with its lid on for the first twenty minutes, so the steam lets the loaf expand. Then take the lid off and bake another twenty-five minutes until the crust is deep brown.

Let the bread cool on a wire rack for at least an hour before slicing. Cutting it hot lets steam escape and leaves the crumb gummy.
`;

const RIVER = `# Minutes of the Millbrook River Council

## Flooding

The council heard that the river rose above the footbridge three times this year. The engineer proposed raising the bridge deck by sixty centimetres and adding railings that fold down before a flood.

Residents of Weir Lane asked for sandbags to be stored at the old fire station. The council agreed to keep two hundred sandbags there from October to March.

## Fish and Wildlife

Volunteers counted salmon at the weir for the first time in ten years and saw forty-one fish climb the ladder in one afternoon. The count will be repeated every September.

Otters have returned to the reed beds below the mill. The council will ask dog walkers to keep their dogs on a lead along that stretch between April and July, when the cubs are born.

## Budget

The repairs to the mill race will cost eighteen thousand pounds, paid from the heritage grant. Painting the iron footbridge is postponed until next year.

The treasurer reported that the annual duck race raised two thousand four hundred pounds for the lifeboat crew. The rubber ducks are stored in the vicar's garage.

## Any Other Business

Mrs Alder complained that the church bells ring too early on Sundays. The vicar agreed to start at nine instead of eight.

The next meeting will be held in the school hall on the first Tuesday of the month, because the village hall roof is leaking.
`;

export const CORPUS: CorpusDocument[] = [
  { name: 'gull-point.md', text: LIGHTHOUSE },
  { name: 'bakers-notebook.md', text: BREAD },
  { name: 'river-council.md', text: RIVER },
];

export const QUESTIONS: CorpusQuestion[] = [
  { question: 'When did Martha Wren arrive at the lighthouse?', document: 'gull-point.md', answer: 'spring of 1887' },
  { question: 'What was the name of the goat?', document: 'gull-point.md', answer: 'Juniper' },
  { question: 'What fuel did the lamp use before kerosene?', document: 'gull-point.md', answer: 'lard oil' },
  { question: 'How many steps did she climb to light the wick?', document: 'gull-point.md', answer: 'ninety-two' },
  { question: 'Why were the curtains drawn over the lens?', document: 'gull-point.md', answer: 'crack the Fresnel' },
  { question: 'Which schooner was wrecked on the ledge?', document: 'gull-point.md', answer: 'Abigail Pratt' },
  { question: 'Where did she keep her silver medal?', document: 'gull-point.md', answer: 'biscuit tin' },
  { question: 'Who helped with the boiler of the fog signal?', document: 'gull-point.md', answer: 'Tobias Keel' },
  {
    question: 'Why did she sleep with a seashell after retiring?',
    document: 'gull-point.md',
    answer: 'seashell on her pillow',
  },
  { question: 'What flour should the starter be fed with?', document: 'bakers-notebook.md', answer: 'rye flour' },
  {
    question: 'Is grey liquid on the starter a sign it is spoiled?',
    document: 'bakers-notebook.md',
    answer: 'hungry, not spoiled',
  },
  { question: 'What is the autolyse rest?', document: 'bakers-notebook.md', answer: 'forty minutes' },
  {
    question: 'How often should the dough be stretched and folded?',
    document: 'bakers-notebook.md',
    answer: 'four times',
  },
  {
    question: 'What does a cold overnight proof in the refrigerator do?',
    document: 'bakers-notebook.md',
    answer: 'sourer taste',
  },
  {
    question: 'How do I check whether the proof is ready?',
    document: 'bakers-notebook.md',
    answer: 'springs back slowly',
  },
  {
    question: 'Why bake in a cast iron pot with the lid on?',
    document: 'bakers-notebook.md',
    answer: 'the steam lets the loaf expand',
  },
  { question: 'Why should bread cool before slicing?', document: 'bakers-notebook.md', answer: 'crumb gummy' },
  {
    question: 'How much higher should the footbridge deck be raised?',
    document: 'river-council.md',
    answer: 'sixty centimetres',
  },
  { question: 'Where will sandbags be stored?', document: 'river-council.md', answer: 'old fire station' },
  { question: 'How many salmon were counted at the weir?', document: 'river-council.md', answer: 'forty-one fish' },
  {
    question: 'When must dogs be kept on a lead near the otters?',
    document: 'river-council.md',
    answer: 'between April and July',
  },
  {
    question: 'How much will the mill race repairs cost?',
    document: 'river-council.md',
    answer: 'eighteen thousand pounds',
  },
  {
    question: 'How much money did the duck race raise?',
    document: 'river-council.md',
    answer: 'two thousand four hundred',
  },
  {
    question: 'What time will the church bells start on Sundays?',
    document: 'river-council.md',
    answer: 'nine instead of eight',
  },
  { question: 'Where is the next meeting held?', document: 'river-council.md', answer: 'school hall' },
];

/** Questions about nothing in the library: no passage should be offered. */
export const UNANSWERABLE = ['Which telescope photographed Jupiter?', 'Quantum chromodynamics lattice gauge'];
