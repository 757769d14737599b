// Sentence templates of the offline provider, by conversation style. `{action}` is the tool's action
// phrase, `{args}` the rendered argument values, `{topic}` the tool's subject.
export const REQUEST_TEMPLATES: Record<string, string[]> = {
  concise: ['{Action} with {args}.', '{Action}: {args}.', 'Need to {action}, {args}.'],
  polite: [
    'Hello! Could you please {action} with {args}? Thank you.',
    'Would you mind helping me {action}? I need {args}.',
    'Good morning. I would appreciate it if you could {action} using {args}.',
  ],
  casual: ['hey, can you {action}? {args}', 'quick one: {action} for me, {args}', 'yo, {action} please, {args}'],
  detailed: [
    'I am working on something and need to {action}. The details are: {args}. Can you take care of it?',
    'For a report I am preparing, please {action}. Use {args} and tell me what you find.',
  ],
  terse: ['{action}: {args}', '{Action}. {args}.'],
  friendly: ['Hi there! Can you {action} for me? I am thinking {args}.', 'Hey! I would love it if you could {action}, with {args}.'],
};

export const NOARG_TEMPLATES: Record<string, string[]> = {
  concise: ['{Action}.', '{Action}, please.', 'Need you to {action}.'],
  polite: ['Hello! Could you please {action}? Thank you.', 'Would you mind helping me {action}?', 'Could you {action} for me, please?'],
  casual: ['hey, can you {action}?', 'quick one: {action} for me', 'can you {action} real quick'],
  detailed: ['I am working on something and need to {action}. Can you take care of it and tell me what you find?'],
  terse: ['{action}', '{Action} now.'],
  friendly: ['Hi there! Can you {action} for me?', 'Hey! Would you {action}?'],
};

export const PARALLEL_JOINERS = [' Also, ', ' And at the same time, ', ' Plus, ', ' Separately, '];
/** The second and later requests of one message (after a joiner): no second greeting. */
export const PARALLEL_PARTS = ['{action} with {args}.', 'please {action}: {args}.', 'could you {action} with {args}?', 'go ahead and {action} with {args}.'];
export const PARALLEL_NOARG_PARTS = ['{action}.', 'please {action} as well.', 'could you {action}?'];

export const NO_TOOL_TEMPLATES = [
  'In general terms, what is {topic} useful for?',
  'Before we start: what kinds of things can you help me with regarding {topic}?',
  'Thanks for the help earlier! Can you explain in one paragraph what {topic} means?',
  'What is the difference between {topic} and a general estimate?',
  'Just curious, why do people care about {topic}?',
  'As {persona}, how should I think about {topic} when planning my week?',
  'I am {persona}. Is it worth paying attention to {topic} at all?',
  'No need to look anything up: what are common mistakes people make with {topic}?',
  'Can you give me two tips for reading {topic} information correctly?',
  'Speaking generally, how reliable is {topic} information?',
  'What questions can I ask you about {topic}?',
  'Explain {topic} to me like I am new to it.',
  'Hi! I am {persona}. What does {topic} have to do with my work?',
  'Without checking anything, what is a good habit around {topic}?',
  'How often do people usually check {topic}?',
];

export const DIRECT_ANSWERS = [
  '{Topic} helps you make decisions with up-to-date information instead of guesses. When you need specific figures, tell me the details and I can look them up with my tools.',
  'Good question. {Topic} is mostly about having the right facts at the right moment. I can fetch concrete data whenever you give me the specifics.',
  'In short, {topic} gives context for planning. No lookup is needed to answer that, but I can retrieve exact values if you ask for them.',
];

export const AMBIGUOUS_TEMPLATES = [
  'Can you {action}?',
  'I need you to {action}.',
  'Please {action} for me.',
  'Could you {action} real quick?',
];

export const CLARIFY_TEMPLATES = [
  'Sure, I can {action}. Could you tell me {missing}?',
  'Happy to help. Before I {action}, which {missing} should I use?',
  'I can do that. What {missing} do you have in mind?',
];

export const FOLLOWUP_ANSWERS = ['{args}.', 'Use {args}, please.', 'Oh right: {args}.', 'Sorry, {args}.'];

/** Later turns of a conversation: no greeting again, straight to what is wanted next. */
export const FOLLOWUP_REQUESTS = ['Thanks! Next, {action} with {args}.', 'Great. Now {action}, please: {args}.', 'Perfect. One more thing: {action} with {args}.', 'Got it. Could you also {action} with {args}?', 'Okay. Now I need to {action}: {args}.'];
export const FOLLOWUP_NOARG_REQUESTS = ['Thanks! Next, {action}.', 'Great. Now {action}, please.', 'Perfect. One more thing: {action}.', 'Got it. Could you also {action}?'];

export const FINAL_LEADS: Record<string, string[]> = {
  concise: ['Result: {facts}.', 'Done. {facts}.'],
  polite: ['Here is what I found: {facts}. Let me know if you need anything else.', 'Certainly. The result shows {facts}.'],
  casual: ['ok, got it: {facts}.', 'here you go: {facts}.'],
  detailed: ['I looked into it using {args}. The result reports {facts}. This should cover what you asked for.'],
  terse: ['{facts}.'],
  friendly: ['All done! {facts}. Anything else I can check for you?', 'Here you go! {facts}.'],
};

export const RECOVER_TEMPLATES = [
  'I am sorry, I could not {action} with {args}: the tool reported "{error}". Could you check the details, or should I try something else?',
  'That did not work: {error}. Would you like me to try again with different details?',
  'The request failed ({error}). Please double-check {args} and I will try again.',
];

export const FAILURE_REASONS = ['not found', 'the service is temporarily unavailable', 'the request was rejected as invalid', 'permission denied', 'the upstream source timed out'];

export const SYNONYMS: [string, string[]][] = [
  ['could you', ['can you', 'would you', 'will you']],
  ['can you', ['could you', 'would you please']],
  ['please', ['kindly', 'if you can']],
  ['hello!', ['hi!', 'hey there!', 'good day!']],
  ['hey,', ['hi,', 'hello,']],
  ['need to', ['have to', 'want to', 'must']],
  ['for me', ['for me please', 'on my behalf']],
  ['thank you.', ['thanks!', 'much appreciated.', 'thanks a lot.']],
  ['i would appreciate it if you could', ['it would help if you could', 'i would be grateful if you could']],
  ['tell me what you find', ['share the results', 'let me know the outcome']],
  ['quick one:', ['quick question:', 'real quick:']],
  ['i am thinking', ['i have in mind', 'i was thinking of']],
  ['the details are', ['here are the details', 'specifically']],
];

export const PARAPHRASE_OPENERS = [
  'So, ', 'Okay, ', 'Right, ', 'Hmm, ', 'Listen, ', 'By the way, ', 'Quick favour: ', 'One thing: ', 'If you have a moment, ',
  'When you get a chance, ', 'Alright, ', 'Hey again, ', 'Sorry to bother you, ', 'Here is what I need: ', 'Let me ask this: ',
  'Another request: ', 'For the record, ', 'Straight to the point: ', 'Small task for you: ', 'Question for you: ',
];
export const PARAPHRASE_REASONS = [
  'I need it for {purpose}.', 'This is for {purpose}.', 'It is for {purpose}, so accuracy matters.', 'I am asking because of {purpose}.',
  'It would really help with {purpose}.', 'I have to sort out {purpose} today.', 'Context: {purpose}.',
];
export const PARAPHRASE_PURPOSES = [
  'a client presentation', 'my weekend plans', 'a school assignment', 'a team meeting tomorrow', 'a blog post', 'an operations review',
  'a travel itinerary', 'a quarterly report', 'planning a delivery route', 'my morning briefing', 'a family visit', 'an audit checklist',
  'a grant application', 'a product demo', 'a safety check',
];
export const PARAPHRASE_THANKS = ['', ' Thanks.', ' Cheers!', ' Appreciate it.', ' Thank you so much.', ' Many thanks.', ' Much obliged.'];

export const SEQUENTIAL_THEN = [
  'Then {action} with what you find.',
  'Once you have that, {action} using the result.',
  'After that, use the answer to {action}.',
  'Then take the first result and {action}.',
];

export const DECLINE_TEMPLATES = [
  'I am sorry, I cannot {action}: none of the tools I have here can do that, so I would need a tool that can {action}. I can {alternatives} if that helps.',
  'Unfortunately I have no tool to {action}, so I cannot do it from here. What I can do is {alternatives}.',
  'That is outside what my tools cover: nothing available to me can {action}. A tool for that would be needed; meanwhile I can {alternatives}.',
];
