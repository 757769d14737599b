module.exports = { ...require('../../jest.preset.js'), displayName: 'openai-test-server' };
