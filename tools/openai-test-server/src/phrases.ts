// Sentence banks for composed turns. `{action}` is an action phrase ("check the current weather"),
// `{values}` the values in words, `{topic}` a tool's subject. Many small pieces combined per request
// keep composed turns varied, as a model's are, so that near-duplicate checks see distinct samples.

export const REQUESTS: Record<string, string[]> = {
  concise: ['{Action} with {values}.', '{Action}: {values}.', 'Please {action}, {values}.', 'Need you to {action} for {values}.'],
  polite: [
    'Hello! Could you please {action} with {values}? Thank you.',
    'Would you mind helping me {action}? I need {values}.',
    'Good morning. I would appreciate it if you could {action} using {values}.',
    'Could you kindly {action}? The details are {values}.',
  ],
  casual: ['hey, can you {action}? {values}', 'quick one: {action} for me, {values}', 'can you {action} real quick? {values}', 'so I need to {action}, {values}'],
  detailed: [
    'I am working on something and need to {action}. The details are: {values}. Can you take care of it?',
    'For something I am preparing, please {action}. Use {values} and tell me what you find.',
    'Here is what I need: {action}, with {values}. Please be precise.',
  ],
  terse: ['{action}: {values}', '{Action}. {values}.', '{values}, {action}'],
  friendly: ['Hi there! Can you {action} for me? I am thinking {values}.', 'Hey! I would love it if you could {action}, with {values}.', 'Hiya, could you {action}? Let us go with {values}.'],
};

export const BARE_REQUESTS: Record<string, string[]> = {
  concise: ['{Action}.', '{Action}, please.', 'Need you to {action}.'],
  polite: ['Hello! Could you please {action}? Thank you.', 'Would you mind helping me {action}?', 'Could you {action} for me, please?'],
  casual: ['hey, can you {action}?', 'quick one: {action} for me', 'can you {action} real quick'],
  detailed: ['I am working on something and need to {action}. Can you take care of it and tell me what you find?', 'Please {action}; I need the full picture.'],
  terse: ['{action}', '{Action} now.'],
  friendly: ['Hi there! Can you {action} for me?', 'Hey! Would you {action}?'],
};

export const NEXT_REQUEST_JOINERS = ['Also, ', 'And at the same time, ', 'On top of that, ', 'Plus, ', 'While you are at it, '];
export const CONTINUATIONS = ['Thanks! Next, ', 'Great. Now ', 'Perfect. One more thing: ', 'Got it. Also, ', 'Okay, and ', 'Nice. Next up: '];

export const PERSONA_INTROS = ['As {persona}, ', 'I am {persona}. ', 'Speaking as {persona}: ', ''];
export const PURPOSES = [
  'a client presentation', 'my weekend plans', 'a school assignment', 'a team meeting tomorrow', 'a blog post', 'an operations review',
  'a travel itinerary', 'a quarterly report', 'planning a delivery route', 'my morning briefing', 'a family visit', 'an audit checklist',
  'a grant application', 'a product demo', 'a safety check', 'a newsletter', 'an outdoor event', 'a shift handover',
];
export const REASONS = ['I need it for {purpose}.', 'This is for {purpose}.', 'It is for {purpose}, so accuracy matters.', 'I am asking because of {purpose}.', 'It would really help with {purpose}.', 'Context: {purpose}.'];
export const THANKS = ['', '', ' Thanks.', ' Cheers!', ' Appreciate it.', ' Thank you so much.', ' Many thanks.'];

export const GENERAL_QUESTIONS = [
  'In general terms, what is {topic} information useful for?',
  'What kinds of things can you help me with regarding {topic}?',
  'Can you explain in a few sentences how {topic} works?',
  'Just curious, why do people care about {topic}?',
  'How should I think about {topic} when planning my week?',
  'Is it worth paying attention to {topic} at all?',
  'No need to look anything up: what are common mistakes people make with {topic}?',
  'Can you give me two tips for reading {topic} information correctly?',
  'Speaking generally, how reliable is {topic} information?',
  'What questions can I ask you about {topic}?',
  'Explain {topic} to me like I am new to it.',
  'Without checking anything, what is a good habit around {topic}?',
  'How often do people usually check {topic}?',
  'What is the difference between {topic} and a rough guess?',
];

export const DIRECT_ANSWERS = [
  '{Topic} helps you decide with current information instead of guesses. For specific figures, tell me the details and I can look them up.',
  'Good question. {Topic} is mostly about having the right facts at the right moment; the most useful habit is to check it shortly before you act on it.',
  'In short, {topic} gives context for planning. Look at trends rather than single numbers, and compare a couple of sources when the stakes are high.',
  'Most people use {topic} to plan ahead and avoid surprises. Treat it as a guide, keep some margin, and check again when plans are close.',
  'A simple rule: the nearer the time you care about, the more reliable {topic} is. For anything far ahead, treat it as a rough indication.',
  'The common mistakes with {topic} are reading one value in isolation and checking it too early. Look at the overall picture and refresh it close to the time.',
];

export const CLARIFY = [
  'Sure, I can {action}. Could you tell me {missing}?',
  'Happy to help. Before I {action}, which {missingBare} should I use?',
  'I can do that. What {missingBare} do you have in mind?',
  'Of course! Which {missingBare} do you mean?',
  'Glad to {action} for you. Could you let me know {missing} first?',
];

export const FOLLOWUPS = ['{Values}.', 'Use {values}, please.', 'Oh right: {values}.', 'Sorry, I forgot: {values}.', 'Good point. {Values}.', 'Let us go with {values}.'];

export const FINAL_LEADS = [
  'Here is what I found: {facts}.',
  'Done. The result shows {facts}.',
  'Here you go: {facts}.',
  'I checked it for you: {facts}.',
  'According to the result, {facts}.',
  'All set. {Facts}.',
];
export const FINAL_CLOSERS = ['', '', ' Let me know if you need anything else.', ' Anything else I can check?', ' Hope that helps.'];

export const APOLOGIES = ['I am sorry, I could not {action}', 'Unfortunately I was not able to {action}', 'That did not work: I tried to {action}', 'Sorry, the attempt to {action} failed'];
export const NEXT_STEPS = [
  'Would you like me to try again with a different {key}?',
  'Could you double-check the {key} so I can try again?',
  'Should I retry in a moment, or would you prefer another {key}?',
  'If you give me another {key}, I can try once more. Which one should I use?',
];
export const GENERIC_NEXT_STEPS = ['Would you like me to try again in a moment?', 'Shall I retry, or would you like to try something else?'];

export const ERRORS = [
  'Unknown {key} {value}.',
  'No {topic} found for {key} {value}.',
  'Invalid value for {key}: {value}.',
  'The {topic} service is temporarily unavailable (timed out after 30 s) for {key} {value}.',
  'Permission denied: cannot {action} for {key} {value}.',
];
export const GENERIC_ERRORS = ['The {topic} service is temporarily unavailable; try again later.', 'Request rejected: too many requests for {topic}, retry in 60 s.'];

export const REWRITE_OPENERS = ['So, ', 'Okay, ', 'Right, ', 'Hmm, ', 'By the way, ', 'Quick favour: ', 'One thing: ', 'If you have a moment, ', 'When you get a chance, ', 'Alright, ', 'Hey again, ', 'Sorry to bother you, ', 'Let me ask this: ', 'Another request: ', 'Straight to the point: ', 'Small task for you: '];
export const SYNONYMS: [RegExp, string[]][] = [
  [/\bcould you\b/i, ['can you', 'would you', 'will you']],
  [/\bcan you\b/i, ['could you', 'would you please']],
  [/\bplease\b/i, ['kindly', 'if you can']],
  [/\bhello!/i, ['hi!', 'hey there!', 'good day!']],
  [/\bhey,/i, ['hi,', 'hello,']],
  [/\bneed to\b/i, ['have to', 'want to', 'must']],
  [/\bfor me\b/i, ['for me please', 'on my behalf']],
  [/\bthank you\b/i, ['thanks', 'much appreciated', 'thanks a lot']],
  [/\btell me what you find\b/i, ['share the results', 'let me know the outcome']],
  [/\bquick one:/i, ['quick question:', 'real quick:']],
  [/\bi am thinking\b/i, ['i have in mind', 'i was thinking of']],
  [/\bthe details are\b/i, ['here are the details', 'specifically']],
  [/\bcheck\b/i, ['look up', 'find out']],
  [/\blook up\b/i, ['check', 'get']],
  [/\bi need\b/i, ['i want', 'i would like']],
  [/\bget\b/i, ['fetch', 'grab']],
  [/\bset to\b/i, ['as', 'of']],
  [/\bwith\b/i, ['using']],
  [/\bwould you mind helping me\b/i, ['could you help me', 'can you help me']],
  [/\bgood morning\b/i, ['hello', 'hi there']],
];
