// Container ids (64 hex digits) and docker-style generated names (adjective_noun).
import { randomBytes, randomInt } from '../sys/random.js';

const ADJECTIVES = [
  'admiring', 'adoring', 'agitated', 'amazing', 'angry', 'awesome', 'blissful', 'bold', 'boring', 'brave', 'busy',
  'charming', 'clever', 'compassionate', 'competent', 'confident', 'cool', 'cranky', 'crazy', 'dazzling', 'determined',
  'distracted', 'dreamy', 'eager', 'ecstatic', 'elastic', 'elated', 'elegant', 'eloquent', 'epic', 'exciting', 'fervent',
  'festive', 'flamboyant', 'focused', 'friendly', 'frosty', 'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'great',
  'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry', 'infallible', 'inspiring', 'intelligent', 'interesting',
  'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'mystifying',
  'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful', 'pedantic', 'pensive',
  'practical', 'priceless', 'quirky', 'quizzical', 'recursing', 'relaxed', 'reverent', 'romantic', 'sad', 'serene',
  'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied', 'suspicious', 'sweet', 'tender', 'thirsty', 'trusting',
  'unruffled', 'upbeat', 'vibrant', 'vigilant', 'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous',
  'zen',
];

const NOUNS = [
  'albattani', 'allen', 'almeida', 'archimedes', 'ardinghelli', 'babbage', 'banach', 'bardeen', 'bartik', 'bassi',
  'bell', 'benz', 'bhabha', 'blackwell', 'bohr', 'booth', 'borg', 'bose', 'boyd', 'brahmagupta', 'brattain', 'brown',
  'carson', 'cartwright', 'chandrasekhar', 'chatelet', 'chaum', 'clarke', 'colden', 'cori', 'cray', 'curie', 'darwin',
  'davinci', 'dijkstra', 'dubinsky', 'easley', 'edison', 'einstein', 'elion', 'engelbart', 'euclid', 'euler', 'faraday',
  'feistel', 'fermat', 'fermi', 'feynman', 'franklin', 'gagarin', 'galileo', 'gates', 'gauss', 'germain', 'goldberg',
  'goldstine', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hellman', 'hertz', 'hodgkin', 'hoover', 'hopper',
  'hugle', 'hypatia', 'jackson', 'jang', 'jennings', 'jepsen', 'johnson', 'joliot', 'jones', 'kalam', 'kare', 'keller',
  'kepler', 'khorana', 'kilby', 'kirch', 'knuth', 'lalande', 'lamarr', 'lamport', 'leakey', 'leavitt', 'lewin',
  'lichterman', 'liskov', 'lovelace', 'lumiere', 'mahavira', 'mayer', 'mccarthy', 'mcclintock', 'mclean', 'meitner',
  'mendel', 'merkle', 'mirzakhani', 'montalcini', 'moore', 'morse', 'napier', 'nash', 'neumann', 'newton', 'nobel',
  'noether', 'northcutt', 'noyce', 'panini', 'pare', 'pascal', 'pasteur', 'payne', 'perlman', 'pike', 'poincare',
  'ptolemy', 'raman', 'ramanujan', 'ride', 'ritchie', 'robinson', 'roentgen', 'rosalind', 'saha', 'sammet', 'shamir',
  'shannon', 'shaw', 'shirley', 'shockley', 'sinoussi', 'snyder', 'spence', 'stonebraker', 'sutherland', 'swanson',
  'swartz', 'swirles', 'tesla', 'thompson', 'torvalds', 'turing', 'varahamihira', 'visvesvaraya', 'volhard', 'wescoff',
  'wiles', 'williams', 'wilson', 'wing', 'wozniak', 'wright', 'wu', 'yalow', 'yonath',
];

export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

/** `attempt` > 0 appends a digit, as docker does after a collision. */
export function generateName(attempt = 0): string {
  const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
  return attempt > 0 ? `${name}${randomInt(10)}` : name;
}

export const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
