module.exports = { ...require('../../jest.preset.js'), displayName: 'weather-mcp-server' };
