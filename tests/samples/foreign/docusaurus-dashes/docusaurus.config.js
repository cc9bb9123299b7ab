module.exports = {
  title: 'Relay',
  url: 'https://relay.example.org',
  baseUrl: '/',
  presets: [['classic', { docs: { routeBasePath: '/' } }]],
};
